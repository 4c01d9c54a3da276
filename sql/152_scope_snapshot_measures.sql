-- All-time and 30-day counters of each scope's models summed per origin (both modes) and uploader
-- namespace at every snapshot. Reading them needs a scan of every snapshot's Parquet, so they are
-- kept between builds: a snapshot is summed again only when its Parquet changed, when attribution
-- changed (076), or when the scopes' members changed (a listed model appeared in the lake, a scope
-- file was edited); scope_snapshot_done records what was summed, and under which members.
CREATE TABLE IF NOT EXISTS scope_snapshot_measures (
    scope VARCHAR,
    subject VARCHAR,
    mode VARCHAR,
    key VARCHAR,
    snapshot DATE,
    all_time DOUBLE,
    window30 DOUBLE
);

CREATE TABLE IF NOT EXISTS scope_snapshot_done (snapshot DATE, sha256 VARCHAR, members UBIGINT);

CREATE OR REPLACE TEMP TABLE scope_members_sig AS
SELECT coalesce(hash(list_sort(list(scope || ' ' || model_id))), 0)::UBIGINT AS sig
FROM scope_members;

DELETE FROM scope_snapshot_done d
WHERE (SELECT changed FROM attribution_changed)
   OR d.members <> (SELECT sig FROM scope_members_sig)
   OR NOT EXISTS (SELECT 1 FROM snapshots s WHERE s.snapshot = d.snapshot AND s.sha256 = d.sha256);

DELETE FROM scope_snapshot_measures m
WHERE NOT EXISTS (SELECT 1 FROM scope_snapshot_done d WHERE d.snapshot = m.snapshot);

CREATE OR REPLACE TEMP TABLE scope_todo AS
SELECT snapshot, sha256 FROM snapshots
WHERE snapshot NOT IN (SELECT snapshot FROM scope_snapshot_done);
