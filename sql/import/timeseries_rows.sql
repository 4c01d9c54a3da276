-- The staged series as typed rows, one per (model, period), the last row read winning:
-- ids given as Hub URLs reduced to org/name, counts with thousands separators or a ".0" accepted.
CREATE OR REPLACE TEMP VIEW ts_rows AS
SELECT model_id, period_start, period_end, downloads
FROM (
    SELECT
        regexp_replace(trim(id), '^https?://(www\.)?huggingface\.co/', '') AS model_id,
        trim(period_start)::DATE AS period_start,
        trim(period_end)::DATE AS period_end,
        replace(trim(downloads), ',', '')::DOUBLE::BIGINT AS downloads,
        row_number() OVER (PARTITION BY regexp_replace(trim(id), '^https?://(www\.)?huggingface\.co/', ''), trim(period_start), trim(period_end)
                           ORDER BY file_no DESC, row_no DESC) AS k
    FROM ts_raw
)
WHERE k = 1;
