-- Figures of a written models.parquet recorded in its manifest.
-- Parameter: getvariable('parquet_path').
SELECT
    count(*)::BIGINT AS rows,
    coalesce(sum(downloads_30d), 0)::BIGINT AS sum_downloads_30d,
    coalesce(sum(downloads_all_time), 0)::BIGINT AS sum_downloads_all_time
FROM read_parquet(getvariable('parquet_path'));
