-- foreach: SELECT series, sha256, file FROM series_todo ORDER BY series
-- Read one new or changed series into series_downloads (see 045_series_downloads.sql).
INSERT INTO series_downloads
SELECT getvariable('series'), getvariable('sha256'), model_id, period_start, period_end, downloads
FROM read_parquet(getvariable('file'));

INSERT INTO series_changed_periods
SELECT DISTINCT period_start, period_end FROM read_parquet(getvariable('file'));
