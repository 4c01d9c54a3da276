-- All-time and 30-day counters summed per subject and key at every snapshot: what a single
-- snapshot knows without any period (DESIGN §6, metrics all_time and window30). Kept between
-- builds: only snapshots without measures are read (082, their files named one by one, in one
-- pass with the periods'); all again when attribution changed (076) or the lake changed (040).
CREATE TABLE IF NOT EXISTS snapshot_measures (
    subject VARCHAR,
    mode VARCHAR,
    key VARCHAR,
    snapshot DATE,
    all_time DOUBLE,
    window30 DOUBLE
);

-- The snapshots whose measures go, and those to measure: 085 recomputes the windows from the
-- earliest of them on.
CREATE OR REPLACE TEMP TABLE snapshot_measures_dropped AS
SELECT DISTINCT snapshot
FROM snapshot_measures
WHERE (SELECT changed FROM attribution_changed)
   OR snapshot IN (SELECT snapshot FROM new_snapshots)
   OR snapshot NOT IN (SELECT snapshot FROM snapshots);

DELETE FROM snapshot_measures WHERE snapshot IN (SELECT snapshot FROM snapshot_measures_dropped);

CREATE OR REPLACE TEMP TABLE measure_snapshots AS
SELECT snapshot FROM snapshots
WHERE snapshot NOT IN (SELECT DISTINCT snapshot FROM snapshot_measures);

-- The counters 082 sums: none unless 081_snapshot_measures_files.sql names the files of the
-- snapshots to measure (a read_parquet of no file fails).
CREATE OR REPLACE TEMP VIEW measure_snapshot_rows AS
SELECT NULL::DATE AS snapshot, NULL::VARCHAR AS model_id, NULL::BIGINT AS downloads_all_time, NULL::BIGINT AS downloads_30d
WHERE false;
