-- Every row of every published snapshot, with the snapshot date from the folder name.
-- {{lake_glob}} is the absolute glob of warehouse/lake/snapshots/snapshot=*/models.parquet,
-- written in at build time so the view works in any DuckDB client afterwards.
CREATE OR REPLACE VIEW lake_models AS
SELECT *
FROM read_parquet({{lake_glob}}, hive_partitioning = true, hive_types = {'snapshot': DATE});
