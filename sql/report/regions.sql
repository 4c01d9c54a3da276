-- Every region for every metric and mode at the report date, with the change since the
-- previous snapshot's figure of the same metric.
WITH by_region AS (
    SELECT metric, mode, window_start, window_end, region_of(origin) AS region,
           sum(downloads) AS downloads, sum(share) AS share
    FROM origin_shares
    GROUP BY ALL
),
with_prev AS (
    SELECT *, lag(share) OVER (PARTITION BY metric, mode, region ORDER BY window_end) AS prev_share
    FROM by_region
)
SELECT metric, mode, window_start, window_end, region, downloads, share, share - prev_share AS change
FROM with_prev
WHERE window_end = getvariable('as_of')::DATE
ORDER BY
    list_position(['trailing', 'period', 'cumulative', 'all_time', 'window30'], metric),
    mode DESC,
    list_position(['China', 'United States', 'Europe', 'International/Online', 'Rest of world', 'Unknown'], region);
