-- period_downloads: every period's downloads per model (DESIGN §6), one row per model whose
-- counter moved, flagged by the rule that made the number. The rows live in one Parquet file per
-- period under <warehouse>/period_downloads/ (070); this view reads the files of this build,
-- named by their absolute paths so that it works in any DuckDB client. Without any period yet it
-- is empty; 171 points it at the files when there are some.
CREATE OR REPLACE VIEW period_downloads AS
SELECT NULL::DATE AS period_start, NULL::DATE AS period_end, NULL::VARCHAR AS model_id,
       NULL::BIGINT AS downloads, NULL::VARCHAR AS flag
WHERE false;
