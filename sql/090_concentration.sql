-- Concentration of downloads over uploader namespaces per window: HHI = Σ (100 · share)² on
-- 0–10,000, and the Gini coefficient over namespaces with any downloads. Kept between builds
-- like window_measures: only the windows 085 recomputed are computed again. Namespaces are
-- ranked by downloads alone: namespaces with equal downloads add the same Σ i · downloads in
-- any order, and a sort on one number costs half of one that also sorts names.
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
)
SELECT
    metric,
    window_start,
    window_end,
    count(*) AS namespaces,
    sum(downloads) AS downloads,
    sum(power(100 * downloads / sum_all, 2)) AS hhi,
    2 * sum(i * downloads) / (count(*) * sum(downloads)) - (count(*) + 1)::DOUBLE / count(*) AS gini
FROM (SELECT *, sum(downloads) OVER (PARTITION BY metric, window_end) AS sum_all FROM ranked)
GROUP BY metric, window_start, window_end;
