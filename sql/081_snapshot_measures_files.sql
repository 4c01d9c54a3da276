-- foreach: SELECT list({{snapshots_glob_dir}} || '/snapshot=' || strftime(snapshot, '%Y-%m-%d') || '/models.parquet' ORDER BY snapshot) AS files FROM measure_snapshots HAVING count(*) > 0
-- The snapshots without measures, read from their Parquet files in one pass (see
-- 081_snapshot_measures.sql); runs once for all of them, or not at all.
CREATE OR REPLACE TEMP VIEW measure_snapshot_rows AS
SELECT snapshot, model_id, downloads_all_time, downloads_30d
FROM read_parquet({{files}}, hive_partitioning = true, hive_types = {'snapshot': DATE});
