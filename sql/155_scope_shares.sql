-- Shares by origin for every scope: `hub` is origin_shares itself (every model, shares of all
-- downloads); each named scope counts only its models, with their own total as the denominator.
-- One row per (scope, metric, mode, window, origin); the shares of one window sum to 1.
CREATE OR REPLACE TABLE scope_shares AS
SELECT 'hub' AS scope, metric, mode, window_start, window_end, origin, downloads, share
FROM origin_shares
UNION ALL
SELECT scope, metric, mode, window_start, window_end, key, downloads, share
FROM scope_window_measures
WHERE subject = 'origin'
ORDER BY scope, metric, mode, window_end, origin;
