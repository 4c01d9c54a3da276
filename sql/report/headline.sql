-- China and the United States over the trailing window ending at the report date, both modes.
SELECT
    mode,
    window_start,
    window_end,
    coalesce(sum(share) FILTER (WHERE origin = 'CN'), 0) AS cn_share,
    coalesce(sum(share) FILTER (WHERE origin = 'US'), 0) AS us_share,
    sum(downloads) AS downloads
FROM origin_shares
WHERE metric = 'trailing' AND window_end = getvariable('as_of')::DATE
GROUP BY ALL
ORDER BY mode DESC;
