-- foreach: SELECT list({{period_glob_dir}} || '/' || file ORDER BY period_end) AS files FROM period_files HAVING count(*) > 0
-- period_downloads over this build's period files (see 170_period_downloads.sql).
CREATE OR REPLACE VIEW period_downloads AS
SELECT period_start, period_end, model_id, downloads, flag
FROM read_parquet({{files}});
