-- Share of each period's downloads by region, period by period, both modes; every region has a
-- row in every period (0 when nothing came from it).
WITH regions AS (
    SELECT unnest(['China', 'United States', 'Europe', 'International/Online', 'Rest of world', 'Unknown']) AS region
),
windows AS (
    SELECT DISTINCT mode, window_start, window_end FROM origin_shares
    WHERE metric = 'period' AND window_end <= getvariable('as_of')::DATE
),
by_region AS (
    SELECT mode, window_end, region_of(origin) AS region, sum(downloads) AS downloads, sum(share) AS share
    FROM origin_shares
    WHERE metric = 'period' AND window_end <= getvariable('as_of')::DATE
    GROUP BY ALL
)
SELECT
    w.window_end AS period_end,
    w.window_start AS period_start,
    w.mode,
    r.region,
    coalesce(b.downloads, 0) AS downloads,
    coalesce(b.share, 0) AS share
FROM windows w
CROSS JOIN regions r
LEFT JOIN by_region b ON b.mode = w.mode AND b.window_end = w.window_end AND b.region = r.region
ORDER BY period_end, w.mode DESC,
    list_position(['China', 'United States', 'Europe', 'International/Online', 'Rest of world', 'Unknown'], r.region);
