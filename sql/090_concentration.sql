-- Concentration of downloads over uploader namespaces per window: HHI = Σ (100 · share)² on
-- 0–10,000, and the Gini coefficient over namespaces with any downloads.
-- Deterministic to the last bit: every floating-point sum runs in one fixed order (ascending
-- downloads, then namespace), as an ordered aggregate, because a parallel sum adds in whatever
-- order threads finish and two builds of the same lake then differ in the last bits. The inputs,
-- namespaces' downloads, are whole numbers summed exactly, so nothing else can vary.
CREATE OR REPLACE TABLE concentration AS
WITH ranked AS (
    SELECT metric, window_start, window_end, downloads,
           row_number() OVER (PARTITION BY metric, window_end ORDER BY downloads, key) AS i
    FROM window_measures
    WHERE subject = 'namespace' AND downloads > 0
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
GROUP BY r.metric, r.window_start, r.window_end
ORDER BY r.metric, r.window_end;
