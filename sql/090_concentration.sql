-- Concentration of downloads over uploader namespaces per window: HHI = Σ (100 · share)² on
-- 0–10,000, and the Gini coefficient over namespaces with any downloads.
CREATE OR REPLACE TABLE concentration AS
WITH ranked AS (
    SELECT metric, window_start, window_end, downloads,
           row_number() OVER (PARTITION BY metric, window_end ORDER BY downloads, key) AS i
    FROM window_measures
    WHERE subject = 'namespace' AND downloads > 0
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
GROUP BY metric, window_start, window_end
ORDER BY metric, window_end;
