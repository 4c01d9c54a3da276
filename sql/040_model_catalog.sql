-- Every model ever seen in the lake, described by its most recent row, with the dates it was
-- first and last seen. Kept between builds: only snapshots not yet merged are read
-- (041_model_catalog_merge.sql); a published snapshot that changed or vanished empties it.
-- Stored with last_seen NULL for the models the newest snapshot holds, so that a new week
-- writes the few models it adds, loses or gets back rather than 2.2 million dates (a 25 MiB
-- write-ahead log, 0.25-0.3 s of a week's commit at Hub scale); the view model_catalog gives
-- every model its date.
CREATE TABLE IF NOT EXISTS model_catalog_stored (
    model_id VARCHAR,
    author VARCHAR,
    created_at TIMESTAMP,
    base_models VARCHAR[],
    base_relation VARCHAR,
    first_seen DATE,
    last_seen DATE
);

-- Steps that need no last_seen read model_catalog_stored: DuckDB crosses the view's scalar
-- subquery with every row and carries all its columns, lists included, through the cross
-- product (0.8 s of one anti join over 2.2 million models in a full build at Hub scale).
CREATE OR REPLACE VIEW model_catalog AS
SELECT model_id, author, created_at, base_models, base_relation, first_seen,
       coalesce(last_seen, (SELECT max(snapshot) FROM snapshots)) AS last_seen
FROM model_catalog_stored;

CREATE OR REPLACE TEMP TABLE lake_changed AS
SELECT count(*) > 0 AS changed
FROM build_state b
ANTI JOIN snapshots s ON s.snapshot = b.snapshot AND s.sha256 = b.sha256;

DELETE FROM model_catalog_stored WHERE (SELECT changed FROM lake_changed);
DELETE FROM build_state WHERE (SELECT changed FROM lake_changed);

CREATE OR REPLACE TEMP TABLE new_snapshots AS
SELECT snapshot FROM snapshots
WHERE snapshot NOT IN (SELECT snapshot FROM build_state);

-- The snapshots 040_model_catalog_bulk.sql merged in one pass (none unless the catalog was empty).
CREATE OR REPLACE TEMP TABLE catalog_bulk_merged (snapshot DATE);

-- The models 041 added or whose uploader or bases changed: the per-model tables (049) are
-- recomputed for them and what depends on them, not for every model.
CREATE OR REPLACE TEMP TABLE catalog_touched (model_id VARCHAR);
