-- Model families (registry families.csv over lineage roots), as shares of all downloads:
-- scope 'originals' counts the family's own root models, 'with_derivatives' adds every model
-- descending from them (merges split 1/r).
CREATE OR REPLACE TABLE family_shares AS
SELECT metric, mode AS scope, window_start, window_end, key AS family, downloads, share, full_window
FROM window_measures
WHERE subject = 'family'
ORDER BY metric, scope, window_end, family;
