-- The published contract (DESIGN §7): one row per (metric, mode, window, origin). `origin` is an
-- ISO country code, INTL or unknown; the shares of one (metric, mode, window) sum to 1 (NULL
-- when nothing at all was downloaded in the window).
-- Kept between builds like window_measures: only the windows 085 recomputed are copied again.
CREATE TABLE IF NOT EXISTS origin_shares (
    metric VARCHAR,
    mode VARCHAR,
    window_start DATE,
    window_end DATE,
    origin VARCHAR,
    downloads DOUBLE,
    share DOUBLE
);

DELETE FROM origin_shares WHERE window_end >= (SELECT d FROM windows_from);

INSERT INTO origin_shares
SELECT metric, mode, window_start, window_end, key AS origin, downloads, share
FROM window_measures
WHERE subject = 'origin' AND window_end >= (SELECT d FROM windows_from)
ORDER BY metric, mode, window_end, origin;
