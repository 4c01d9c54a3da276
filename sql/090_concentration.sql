-- Concentration of downloads over uploader namespaces per window: HHI = Σ (100 · share)² on
-- 0–10,000, and the Gini coefficient over namespaces with any downloads. Kept between builds
-- like window_measures: only the windows 085 recomputed are computed again.
-- Deterministic to the last bit: every floating-point sum runs in one fixed order (ascending
-- downloads), as an ordered aggregate, because a parallel sum adds in whatever order threads
-- finish and two builds of the same lake then differ in the last bits. The inputs, namespaces'
-- downloads, are whole numbers summed exactly, so nothing else can vary. Namespaces with equal
-- downloads add the same values in the same order whichever of them comes first, so ranking by
-- downloads alone is as deterministic as ranking by name too, and sorts half as much.
CREATE TABLE IF NOT EXISTS concentration (
    metric VARCHAR,
    window_start DATE,
    window_end DATE,
    namespaces BIGINT,
    downloads DOUBLE,
    hhi DOUBLE,
    gini DOUBLE
);

DELETE FROM concentration WHERE window_end >= (SELECT d FROM windows_from);

INSERT INTO concentration
WITH ranked AS (
    SELECT metric, window_start, window_end, downloads,
           row_number() OVER (PARTITION BY metric, window_end ORDER BY downloads) AS i
    FROM window_measures
    WHERE subject = 'namespace' AND downloads > 0 AND window_end >= (SELECT d FROM windows_from)
),
totals AS (
    SELECT metric, window_end, sum(downloads ORDER BY i) AS sum_all
    FROM ranked
    GROUP BY metric, window_end
)
SELECT
    r.metric,
    r.window_start,
    r.window_end,
    count(*) AS namespaces,
    sum(r.downloads ORDER BY r.i) AS downloads,
    sum(power(100 * r.downloads / t.sum_all, 2) ORDER BY r.i) AS hhi,
    2 * sum(r.i * r.downloads ORDER BY r.i) / (count(*) * any_value(t.sum_all)) - (count(*) + 1)::DOUBLE / count(*) AS gini
FROM ranked r
JOIN totals t ON t.metric = r.metric AND t.window_end = r.window_end
GROUP BY r.metric, r.window_start, r.window_end;
