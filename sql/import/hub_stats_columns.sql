-- Top-level column names of one Parquet file, to check it holds Hub models before reading it.
-- Parameter: getvariable('parquet_path').
SELECT column_name
FROM (DESCRIBE SELECT * FROM read_parquet(getvariable('parquet_path'), hive_partitioning = false));
