-- Sum the periods that have no measures yet (see 080_period_measures.sql): each period's rows
-- are summed by uploader class and by lineage class (one join with attribution_state, two
-- grouping sets), and each class's sums then counted under its terms with their weights (076).
-- At Hub scale every join of the rows with a per-model table is a pass over every period's 2.2
-- million string ids: one join here, where namespaces, lineage and families took one each.
INSERT INTO period_measures
WITH by_class AS (
    SELECT d.period_start, d.period_end, s.uploader_class, s.lineage_class, sum(d.downloads)::DOUBLE AS downloads
    FROM measure_period_rows d
    JOIN attribution_state s ON s.model_id = d.model_id
    GROUP BY GROUPING SETS ((d.period_start, d.period_end, s.uploader_class), (d.period_start, d.period_end, s.lineage_class))
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
