-- Model families (registry families.csv over lineage roots), as shares of all downloads:
-- scope 'originals' counts the family's own root models, 'with_derivatives' adds every model
-- descending from them (merges split 1/r).
-- Kept between builds like window_measures: only the windows 085 recomputed are copied again.
CREATE TABLE IF NOT EXISTS family_shares (
    metric VARCHAR,
    scope VARCHAR,
    window_start DATE,
    window_end DATE,
    family VARCHAR,
    downloads DOUBLE,
    share DOUBLE,
    full_window BOOLEAN
);

DELETE FROM family_shares WHERE window_end >= (SELECT d FROM windows_from);

INSERT INTO family_shares
SELECT metric, mode AS scope, window_start, window_end, key AS family, downloads, share, full_window
FROM window_measures
WHERE subject = 'family' AND window_end >= (SELECT d FROM windows_from)
ORDER BY metric, scope, window_end, family;
