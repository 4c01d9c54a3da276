-- Qwen against Llama at the report date: every metric, originals alone and with derivatives.
WITH pairs AS (
    SELECT
        metric,
        scope,
        window_start,
        window_end,
        coalesce(sum(downloads) FILTER (WHERE family = 'Qwen'), 0) AS qwen_downloads,
        coalesce(sum(downloads) FILTER (WHERE family = 'Llama'), 0) AS llama_downloads,
        coalesce(sum(share) FILTER (WHERE family = 'Qwen'), 0) AS qwen_share,
        coalesce(sum(share) FILTER (WHERE family = 'Llama'), 0) AS llama_share
    FROM family_shares
    WHERE window_end = getvariable('as_of')::DATE
    GROUP BY metric, scope, window_start, window_end
)
SELECT metric, measure_name(metric) AS measure, * EXCLUDE (metric)
FROM pairs
ORDER BY list_position(['trailing', 'period', 'cumulative', 'all_time', 'window30'], metric), scope DESC;
