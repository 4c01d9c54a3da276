-- Share of each period's downloads by region, week by week, both modes.
SELECT
    window_end AS period_end,
    window_start AS period_start,
    mode,
    region_of(origin) AS region,
    sum(downloads) AS downloads,
    sum(share) AS share
FROM origin_shares
WHERE metric = 'period' AND window_end <= getvariable('as_of')::DATE
GROUP BY ALL
ORDER BY period_end, mode DESC, region;
