-- foreach: SELECT list({{period_glob_dir}} || '/' || f.file ORDER BY f.period_end) AS files FROM period_files f SEMI JOIN measure_periods mp ON mp.period_start = f.period_start AND mp.period_end = f.period_end AND mp.source = 'collected' HAVING count(*) > 0
-- The collected periods without measures, read from their Parquet files (see 080_period_measures.sql);
-- runs once for all of them, or not at all.
CREATE OR REPLACE TEMP VIEW measure_period_rows AS
SELECT period_start, period_end, model_id, downloads
FROM read_parquet({{files}})
UNION ALL
SELECT s.period_start, s.period_end, s.model_id, s.downloads
FROM series_downloads s
SEMI JOIN measure_periods mp ON mp.period_start = s.period_start AND mp.period_end = s.period_end AND mp.source = 'imported';
