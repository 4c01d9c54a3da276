-- Every region for every metric and mode at the report date, with the change since the
-- previous window of the same metric, and the range the unattributed downloads leave open. Every
-- region has a row (0 when nothing came from it), so Unknown is always a number.
WITH regions AS (
    SELECT unnest(['China', 'United States', 'Europe', 'International/Online', 'Rest of world', 'Unknown']) AS region
),
windows AS (
    SELECT DISTINCT metric, mode, window_start, window_end FROM origin_shares
),
by_region AS (
    SELECT metric, mode, window_end, region_of(origin) AS region, sum(downloads) AS downloads, sum(share) AS share
    FROM origin_shares
    GROUP BY ALL
),
unknown AS (
    SELECT metric, mode, window_end, coalesce(sum(share) FILTER (WHERE origin = 'unknown'), 0) AS unknown_share,
           sum(downloads) - coalesce(sum(downloads) FILTER (WHERE origin = 'unknown'), 0) AS attributed
    FROM origin_shares
    GROUP BY ALL
),
grid AS (
    SELECT w.metric, w.mode, w.window_start, w.window_end, r.region,
           coalesce(b.downloads, 0) AS downloads,
           CASE WHEN u.unknown_share IS NULL THEN NULL ELSE coalesce(b.share, 0) END AS share,
           u.unknown_share, u.attributed
    FROM windows w
    CROSS JOIN regions r
    LEFT JOIN by_region b ON b.metric = w.metric AND b.mode = w.mode AND b.window_end = w.window_end AND b.region = r.region
    JOIN unknown u ON u.metric = w.metric AND u.mode = w.mode AND u.window_end = w.window_end
),
with_prev AS (
    SELECT *, lag(share) OVER (PARTITION BY metric, mode, region ORDER BY window_end) AS prev_share
    FROM grid
)
SELECT
    metric,
    measure_name(metric) AS measure,
    mode,
    window_start,
    window_end,
    (window_end - window_start) // 7 AS weeks,
    region,
    downloads,
    share,
    CASE WHEN region = 'Unknown' THEN share ELSE share + unknown_share END AS share_high,
    CASE WHEN region = 'Unknown' THEN NULL ELSE downloads / nullif(attributed, 0) END AS share_of_attributed,
    share - prev_share AS change
FROM with_prev
WHERE window_end = getvariable('as_of')::DATE
ORDER BY
    list_position(['trailing', 'period', 'cumulative', 'all_time', 'window30'], metric),
    mode DESC,
    list_position(['China', 'United States', 'Europe', 'International/Online', 'Rest of world', 'Unknown'], region);
