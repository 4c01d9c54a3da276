-- Imported download series (`import --format timeseries`): per-model downloads per period, as
-- studies publish them. Kept between builds and reread only when a series' Parquet changed; the
-- {{series_*}} lists are written in at build time from lake/series/series=*/manifest.json.
CREATE TABLE IF NOT EXISTS series_downloads (
    series VARCHAR,
    sha256 VARCHAR,
    model_id VARCHAR,
    period_start DATE,
    period_end DATE,
    downloads BIGINT
);

CREATE OR REPLACE TEMP TABLE series_files AS
SELECT
    unnest({{series_names}}::VARCHAR[]) AS series,
    unnest({{series_sha256}}::VARCHAR[]) AS sha256,
    unnest({{series_files}}::VARCHAR[]) AS file;

CREATE OR REPLACE TEMP TABLE series_todo AS
SELECT f.*
FROM series_files f
ANTI JOIN (SELECT DISTINCT series, sha256 FROM series_downloads) d ON d.series = f.series AND d.sha256 = f.sha256;

-- Periods whose imported rows change in this build; their measures are summed again (080).
CREATE OR REPLACE TEMP TABLE series_changed_periods AS
SELECT DISTINCT period_start, period_end
FROM series_downloads d
WHERE NOT EXISTS (SELECT 1 FROM series_files f WHERE f.series = d.series AND f.sha256 = d.sha256);

DELETE FROM series_downloads d
WHERE NOT EXISTS (SELECT 1 FROM series_files f WHERE f.series = d.series AND f.sha256 = d.sha256);
