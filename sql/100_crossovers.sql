-- Where the order of a pair changes: China against the United States for every metric and
-- attribution mode, Qwen against Llama for every metric and family scope. One row per change,
-- at the first window where the new leader is ahead; windows where both are equal are skipped.
CREATE OR REPLACE TABLE crossovers AS
WITH series AS (
    SELECT metric, mode, 'CN vs US' AS pair, 'CN' AS first, 'US' AS second, window_end,
           coalesce(sum(share) FILTER (WHERE origin = 'CN'), 0) AS first_share,
           coalesce(sum(share) FILTER (WHERE origin = 'US'), 0) AS second_share
    FROM origin_shares
    GROUP BY ALL
    UNION ALL
    SELECT metric, scope, 'Qwen vs Llama', 'Qwen', 'Llama', window_end,
           coalesce(sum(share) FILTER (WHERE family = 'Qwen'), 0),
           coalesce(sum(share) FILTER (WHERE family = 'Llama'), 0)
    FROM family_shares
    GROUP BY ALL
),
signed AS (
    SELECT *, sign(first_share - second_share) AS s
    FROM series
    WHERE first_share <> second_share
),
changes AS (
    SELECT *,
           lag(s) OVER w AS prev_s,
           lag(window_end) OVER w AS prev_window_end
    FROM signed
    WINDOW w AS (PARTITION BY metric, mode, pair ORDER BY window_end)
)
SELECT
    metric,
    mode,
    pair,
    CASE WHEN s > 0 THEN first ELSE second END AS leader,
    CASE WHEN s > 0 THEN second ELSE first END AS overtaken,
    window_end AS crossed_at,
    prev_window_end AS last_behind_at,
    first_share,
    second_share
FROM changes
WHERE prev_s IS NOT NULL AND s <> prev_s
ORDER BY pair, metric, mode, crossed_at;
