-- foreach: SELECT list({{period_glob_dir}} || '/' || file ORDER BY period_end) AS files FROM period_files WHERE file NOT IN (SELECT file FROM scope_period_done) HAVING count(*) > 0
-- Copy the members' rows of the period files not read yet (see 153_scope_period_downloads.sql),
-- all of them in one pass.
INSERT INTO scope_period_downloads
SELECT m.scope, d.period_start, d.period_end, d.model_id, d.downloads
FROM read_parquet({{files}}) d
JOIN (SELECT DISTINCT scope, model_id FROM scope_members) m ON m.model_id = d.model_id;

INSERT INTO scope_period_done
SELECT file, (SELECT sig FROM scope_members_sig)
FROM period_files
WHERE file NOT IN (SELECT file FROM scope_period_done);
