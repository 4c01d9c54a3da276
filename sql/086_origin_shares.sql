-- The published contract (DESIGN §7): one row per (metric, mode, window, origin). `origin` is an
-- ISO country code, INTL or unknown; the shares of one (metric, mode, window) sum to 1 (NULL
-- when nothing at all was downloaded in the window).
CREATE OR REPLACE TABLE origin_shares AS
SELECT metric, mode, window_start, window_end, key AS origin, downloads, share
FROM window_measures
WHERE subject = 'origin'
ORDER BY metric, mode, window_end, origin;
