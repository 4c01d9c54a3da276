-- foreach: SELECT list({{snapshots_glob_dir}} || '/snapshot=' || strftime(snapshot, '%Y-%m-%d') || '/models.parquet' ORDER BY snapshot) AS files FROM snapshots WHERE snapshot NOT IN (SELECT DISTINCT snapshot FROM snapshot_measures) HAVING count(*) > 0
-- Sum the counters of every snapshot without measures (see 082_snapshot_measures.sql), in one
-- pass over their files: the join's hash table of every model is built once, not once per
-- snapshot (52 snapshots of 2.2 million models: 96 s one at a time). As in 081, the rows are
-- summed by uploader class and by lineage class, and each class's sums counted under its terms.
INSERT INTO snapshot_measures
WITH by_class AS (
    SELECT r.snapshot, s.uploader_class, s.lineage_class, sum(r.downloads_all_time::DOUBLE) AS all_time, sum(r.downloads_30d::DOUBLE) AS window30
    FROM read_parquet({{files}}, hive_partitioning = true, hive_types = {'snapshot': DATE}) r
    JOIN attribution_state s ON s.model_id = r.model_id
    GROUP BY GROUPING SETS ((r.snapshot, s.uploader_class), (r.snapshot, s.lineage_class))
)
SELECT t.subject, t.mode, t.key, b.snapshot, sum(b.all_time * t.weight) AS all_time, sum(b.window30 * t.weight) AS window30
FROM by_class b
JOIN attribution_terms t ON t.class_id = coalesce(b.uploader_class, b.lineage_class)
GROUP BY ALL
-- in this order, as in 081: a query of one subject at a few snapshots skips the other row groups
ORDER BY subject, mode, snapshot, key;
