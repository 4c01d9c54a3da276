-- foreach: SELECT strftime(t.period_start, '%Y-%m-%d') AS period_start, strftime(t.period_end, '%Y-%m-%d') AS period_end, t.days, t.start_complete, f.file AS name, {{period_dir}} || '/' || f.file AS file, {{period_glob_dir}} || '/' || f.file AS file_glob FROM todo_periods t JOIN period_files f ON f.period_start = t.period_start AND f.period_end = t.period_end ORDER BY t.period_end
-- One period: the snapshot that opens it against the one that closes it, written to its file.

-- The closing snapshot's models without a created_at, set apart before they are looked up in
-- the catalog (seen, below): inside the COPY, DuckDB hashed the whole catalog to probe it with
-- them, even when there were none (0.7 s of a 1.6 s period in a full build at Hub scale).
CREATE OR REPLACE TEMP TABLE period_unstamped AS
SELECT model_id FROM lake_models
WHERE snapshot = getvariable('period_end')::DATE AND created_at IS NULL;

COPY (
WITH cur AS (
    SELECT model_id, created_at, downloads_30d AS w, downloads_all_time AS a
    FROM lake_models
    WHERE snapshot = getvariable('period_end')::DATE
),
prev AS (
    SELECT model_id, downloads_all_time AS a
    FROM lake_models WHERE snapshot = getvariable('period_start')::DATE
),
outer_joined AS (
    SELECT
        coalesce(c.model_id, p.model_id) AS model_id,
        c.model_id IS NOT NULL AS in_cur,
        p.model_id IS NOT NULL AS in_prev,
        c.created_at, c.w, c.a AS a_cur, p.a AS a_prev
    FROM cur c
    FULL OUTER JOIN prev p ON p.model_id = c.model_id
),
-- seen_before: the model was in an earlier snapshot, vanished and came back; without a
-- created_at it must not count its whole all-time counter a second time. Only rows without a
-- created_at need it, so only those are looked up in the catalog, straight from the closing
-- snapshot: a join of every row with the catalog cost a pass over 2.2 million ids per period,
-- and taking them from the joined rows made those rows a materialised CTE (0.2-0.4 s a period
-- at Hub scale).
seen AS (
    SELECT c.model_id
    FROM model_catalog_stored c
    SEMI JOIN period_unstamped u ON u.model_id = c.model_id
    WHERE c.first_seen < getvariable('period_end')::DATE
),
joined AS (
    SELECT j.*, s.model_id IS NOT NULL AS seen_before
    FROM outer_joined j
    LEFT JOIN seen s ON s.model_id = j.model_id
),
flagged AS (
    SELECT *,
        CASE
            WHEN NOT in_cur THEN 'vanished'
            WHEN a_cur IS NULL OR (in_prev AND a_prev IS NULL) THEN 'from_30d'
            WHEN in_prev AND a_cur < a_prev THEN 'counter_decrease'
            WHEN in_prev THEN 'continuing'
            WHEN created_at > getvariable('period_start')::DATE::TIMESTAMP THEN 'new'
            WHEN created_at IS NULL AND getvariable('start_complete')::BOOLEAN AND NOT seen_before THEN 'new'
            ELSE 'late_seen'
        END AS flag
    FROM joined
),
counted AS (
    SELECT model_id, flag,
        CASE flag
            WHEN 'vanished' THEN 0
            WHEN 'counter_decrease' THEN 0
            WHEN 'continuing' THEN a_cur - a_prev
            WHEN 'new' THEN a_cur
            WHEN 'from_30d' THEN round(coalesce(w, 0) * least(getvariable('days')::INTEGER, 30) / 30)::BIGINT
            WHEN 'late_seen' THEN least(a_cur, round(coalesce(w, 0) * getvariable('days')::INTEGER / 30)::BIGINT)
        END AS downloads
    FROM flagged
)
SELECT getvariable('period_start')::DATE AS period_start, getvariable('period_end')::DATE AS period_end, model_id, downloads, flag
FROM counted
WHERE NOT (flag = 'continuing' AND downloads = 0)
-- zstd level 1: at Hub scale 0.35 s a period against 0.55 s at the default level, for a file
-- 2.4% larger (13.6 MB)
) TO {{file}} (FORMAT parquet, COMPRESSION zstd, COMPRESSION_LEVEL 1);

INSERT INTO period_flags
SELECT {{name}}, flag, count(*), sum(downloads)
FROM read_parquet({{file_glob}})
GROUP BY ALL;
