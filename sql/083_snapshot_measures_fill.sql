-- Each snapshot's class sums (082) counted under the classes' terms with their weights (076):
-- the measures of every snapshot without them (see 081_snapshot_measures.sql).
INSERT INTO snapshot_measures
SELECT t.subject, t.mode, t.key, b.snapshot, sum(b.all_time * t.weight) AS all_time, sum(b.window30 * t.weight) AS window30
FROM measure_classes b
-- a row of one grouping set has the other set's class NULL; class ids of both kinds differ
JOIN attribution_terms t ON t.class_id = coalesce(b.uploader_class, b.lineage_class)
WHERE b.snapshot IS NOT NULL
GROUP BY ALL
-- In this order a query of one subject at a few snapshots skips the other row groups.
ORDER BY subject, mode, snapshot, key;
