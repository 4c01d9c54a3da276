-- How much of each window's downloads the registry can attribute: 1 − the share of 'unknown'
-- (NULL for a window in which nothing was downloaded).
CREATE OR REPLACE TABLE registry_coverage AS
SELECT
    metric,
    mode,
    window_start,
    window_end,
    sum(downloads) AS downloads,
    coalesce(sum(downloads) FILTER (WHERE origin = 'unknown'), 0) AS unknown_downloads,
    CASE WHEN sum(downloads) = 0 THEN NULL
         ELSE 1 - coalesce(sum(share) FILTER (WHERE origin = 'unknown'), 0) END AS coverage
FROM origin_shares
GROUP BY ALL
ORDER BY metric, mode, window_end;
