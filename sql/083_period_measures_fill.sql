-- Each period's class sums (082) counted under the classes' terms with their weights (076):
-- the measures of every period without them (see 080_period_measures.sql).
INSERT INTO period_measures
WITH by_class AS (
    SELECT period_start, period_end, uploader_class, lineage_class, downloads
    FROM measure_classes
    WHERE snapshot IS NULL
),
measures AS (
    SELECT t.subject, t.mode, t.key, b.period_start, b.period_end, b.downloads * t.weight AS downloads
    FROM by_class b
    -- a row of one grouping set has the other set's class NULL; class ids of both kinds differ
    JOIN attribution_terms t ON t.class_id = coalesce(b.uploader_class, b.lineage_class)
    UNION ALL
    -- A zero for every period and mode, so a week in which nothing was downloaded still has a
    -- window (with share NULL) instead of vanishing from the trend.
    SELECT 'origin', m.mode, 'unknown', p.period_start, p.period_end, 0
    FROM measure_periods p CROSS JOIN (VALUES ('uploader'), ('lineage')) m(mode)
)
SELECT subject, mode, key, period_start, period_end, sum(downloads) AS downloads
FROM measures
GROUP BY ALL
-- In this order the table's row groups, and the window rows 085 makes from them, hold one
-- subject and a few periods each, so a query of one subject over a few windows skips the rest.
ORDER BY subject, mode, period_end, key;
