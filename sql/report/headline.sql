-- The report's first sentence: China and the United States over the trailing year ending at the
-- report date, in both modes, each with the range the unattributed downloads leave open and the
-- share of the downloads that have a known origin. `weeks` is the history the window covers
-- (fewer than 52 while the history is shorter).
SELECT
    mode,
    measure_name(metric) AS measure,
    window_start,
    window_end,
    (window_end - window_start) // 7 AS weeks,
    window_end - window_start >= 364 AS full_window,
    coalesce(max(share) FILTER (WHERE origin = 'CN'), 0) AS cn_share,
    coalesce(max(share_high) FILTER (WHERE origin = 'CN'), max(share) FILTER (WHERE origin = 'unknown'), 0) AS cn_share_high,
    coalesce(max(share_of_attributed) FILTER (WHERE origin = 'CN'), 0) AS cn_share_of_attributed,
    coalesce(max(share) FILTER (WHERE origin = 'US'), 0) AS us_share,
    coalesce(max(share_high) FILTER (WHERE origin = 'US'), max(share) FILTER (WHERE origin = 'unknown'), 0) AS us_share_high,
    coalesce(max(share_of_attributed) FILTER (WHERE origin = 'US'), 0) AS us_share_of_attributed,
    coalesce(max(share) FILTER (WHERE origin = 'unknown'), 0) AS unattributed_share,
    sum(downloads) AS downloads
FROM origin_share_bounds
WHERE metric = 'trailing' AND window_end = getvariable('as_of')::DATE
GROUP BY ALL
ORDER BY mode DESC;
