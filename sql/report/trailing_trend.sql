-- The study's figure, week by week: each region's share of the trailing year's downloads at every
-- snapshot up to the report date, both modes, with the upper bound the unattributed downloads
-- allow (share + the Unknown share of the same window). `weeks` is the history the window covers.
WITH by_region AS (
    SELECT mode, window_start, window_end, region_of(origin) AS region, sum(downloads) AS downloads, sum(share) AS share
    FROM origin_shares
    WHERE metric = 'trailing' AND window_end <= getvariable('as_of')::DATE
    GROUP BY ALL
),
unknown AS (
    SELECT mode, window_end, coalesce(sum(share) FILTER (WHERE region = 'Unknown'), 0) AS unknown_share
    FROM by_region
    GROUP BY ALL
)
SELECT
    b.window_end,
    b.window_start,
    (b.window_end - b.window_start) // 7 AS weeks,
    b.mode,
    b.region,
    b.downloads,
    b.share,
    CASE WHEN b.region = 'Unknown' THEN b.share ELSE b.share + u.unknown_share END AS share_high
FROM by_region b
JOIN unknown u ON u.mode = b.mode AND u.window_end = b.window_end
ORDER BY b.window_end, b.mode DESC,
    list_position(['China', 'United States', 'Europe', 'International/Online', 'Rest of world', 'Unknown'], b.region);
