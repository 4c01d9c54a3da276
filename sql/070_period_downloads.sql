-- Downloads of each model in each period (DESIGN §6), flagged by the rule that made them, kept as
-- one immutable Parquet file per period under <warehouse>/period_downloads/ (period_files says
-- which): a new week writes one file and the database stays small, so publishing it stays cheap.
-- A file is never rewritten: a period computed again (a snapshot replaced, a --full build) gets a
-- file named by the build that made it ({{build_id}}), so the published database keeps reading
-- the files it names until the new one is published, and the build removes the files it no
-- longer names after publishing. The view period_downloads (170, 171) reads them.
-- Rows of stale periods are dropped here; 071 computes the periods to do, one at a time, and
-- counts each file's rows by flag into period_flags (for data_quality).
DELETE FROM period_files f
WHERE EXISTS (SELECT 1 FROM stale_periods s WHERE s.period_start = f.period_start AND s.period_end = f.period_end)
   OR NOT EXISTS (SELECT 1 FROM periods p WHERE p.period_start = f.period_start AND p.period_end = f.period_end);

INSERT INTO period_files
SELECT period_start, period_end, strftime(period_end, '%Y-%m-%d') || '.' || {{build_id}} || '.parquet'
FROM todo_periods;

CREATE TABLE IF NOT EXISTS period_flags (
    file VARCHAR,
    flag VARCHAR,
    models BIGINT,
    downloads BIGINT
);

-- Counts belong to a file: a period computed again has a new file, and its old counts go.
DELETE FROM period_flags WHERE file NOT IN (SELECT file FROM period_files);
