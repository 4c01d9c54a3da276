-- How much of each window's downloads the registry can attribute: 1 − the share of 'unknown'.
CREATE OR REPLACE TABLE registry_coverage AS
SELECT
    metric,
    mode,
    window_start,
    window_end,
    sum(downloads) AS downloads,
    coalesce(sum(downloads) FILTER (WHERE origin = 'unknown'), 0) AS unknown_downloads,
    1 - coalesce(sum(share) FILTER (WHERE origin = 'unknown'), 0) AS coverage
FROM origin_shares
GROUP BY ALL
ORDER BY metric, mode, window_end;
