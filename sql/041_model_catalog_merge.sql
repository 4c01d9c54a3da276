-- foreach: SELECT strftime(snapshot, '%Y-%m-%d') AS snapshot FROM new_snapshots WHERE snapshot NOT IN (SELECT snapshot FROM catalog_bulk_merged) ORDER BY snapshot
-- Merge one snapshot into model_catalog_stored: the newer row describes the model. One join of
-- the snapshot with the catalog says what each row changes, comparing hashes of the descriptions
-- (a hash table of 2.2 million lists is what made a MERGE cost 4 s a week at Hub scale); only
-- what changed is written. The models the snapshot adds, or whose uploader or bases it
-- changes, go to catalog_touched (049).
-- The newest snapshot merged so far: the snapshots run in order of date, after those of the last
-- build and of 040's single pass. The catalog stores last_seen NULL for the models it holds.
SET VARIABLE catalog_newest_merged = (
    SELECT max(snapshot) FROM (
        SELECT snapshot FROM build_state
        UNION ALL SELECT snapshot FROM catalog_bulk_merged
        UNION ALL SELECT snapshot FROM new_snapshots WHERE snapshot < getvariable('snapshot')::DATE
    )
);

-- A snapshot newer than every one merged (a new week) becomes the newest: only the models it
-- lacks and the newest held (they get that date) and those it holds again (they lose theirs)
-- change their last_seen. A snapshot merged out of order updates only the rows it is newer for.
SET VARIABLE catalog_newest = getvariable('snapshot')::DATE > coalesce(getvariable('catalog_newest_merged'), DATE '0001-01-01');

-- last_seen as a merged snapshot's date or NULL: NULL once this snapshot is the newest merged.
SET VARIABLE catalog_seen_now = CASE
    WHEN getvariable('catalog_newest') OR getvariable('snapshot')::DATE = getvariable('catalog_newest_merged') THEN NULL
    ELSE getvariable('snapshot')::DATE
END;

-- Only the rows that change something are kept: in a new week almost every model is present,
-- known and described as before, and keeping all 2.2 million rows with their flags cost 0.6 s
-- more at Hub scale than filtering them in the join. The filter reads variables, not
-- subqueries, which DuckDB would join with every row.
CREATE OR REPLACE TEMP TABLE catalog_in AS
WITH f AS (
    SELECT model_id, snapshot,
           hash(author, base_models) AS attribution_hash,
           hash(author, created_at, base_models, base_relation) AS description_hash
    FROM lake_models
    WHERE snapshot = getvariable('snapshot')::DATE
),
c AS (
    SELECT model_id, first_seen, last_seen AS stored_last_seen,
           coalesce(last_seen, getvariable('catalog_newest_merged')) AS last_seen,
           hash(author, base_models) AS attribution_hash,
           hash(author, created_at, base_models, base_relation) AS description_hash
    FROM model_catalog_stored
)
SELECT coalesce(f.model_id, c.model_id) AS model_id,
       f.model_id IS NOT NULL AS present,
       c.model_id IS NULL AS is_new,
       c.stored_last_seen,
       c.model_id IS NOT NULL AND f.snapshot >= c.last_seen AS newer,
       c.model_id IS NOT NULL AND f.snapshot >= c.last_seen AND f.description_hash <> c.description_hash AS described,
       c.model_id IS NOT NULL AND f.snapshot >= c.last_seen AND f.attribution_hash <> c.attribution_hash AS touched,
       c.model_id IS NOT NULL AND f.snapshot < c.first_seen AS earlier
FROM f
FULL OUTER JOIN c ON c.model_id = f.model_id
WHERE (f.model_id IS NULL AND c.stored_last_seen IS NULL)
   OR c.model_id IS NULL
   OR f.description_hash <> c.description_hash
   OR f.attribution_hash <> c.attribution_hash
   OR f.snapshot < c.first_seen
   OR (f.model_id IS NOT NULL AND c.stored_last_seen IS NOT NULL)
   OR NOT getvariable('catalog_newest');

INSERT INTO catalog_touched
SELECT model_id FROM catalog_in WHERE is_new OR touched;

-- The rows that describe a model anew: a new model, or a newer row that differs. Their ids are
-- set apart first: with the filter inside the join DuckDB cannot know how few pass it, hashes
-- the whole snapshot and probes it with them (0.65 s a week at Hub scale for no row).
CREATE OR REPLACE TEMP TABLE catalog_described AS
SELECT model_id FROM catalog_in WHERE is_new OR described;

CREATE OR REPLACE TEMP TABLE catalog_rows AS
SELECT model_id, author, created_at, base_models, base_relation, snapshot
FROM lake_models
WHERE snapshot = getvariable('snapshot')::DATE
  AND model_id IN (SELECT model_id FROM catalog_described);

UPDATE model_catalog_stored c
SET author = f.author, created_at = f.created_at, base_models = f.base_models, base_relation = f.base_relation
FROM catalog_rows f
WHERE c.model_id = f.model_id;

-- The few rows each of the updates below changes are set apart first: joined straight from
-- catalog_in, DuckDB cannot know how few pass the filter and hashes the whole catalog (0.33 s a
-- week at Hub scale for an update of no row; 2-3 ms each from this table).
--   lost:  a new newest snapshot lacks a model the newest held: its last_seen is that date;
--   seen:  the snapshot holds a model and is newer than its last_seen: its last_seen is the
--          snapshot (NULL if it is the newest; in a new week only models held again change);
--   earlier: the snapshot is older than the model's first_seen.
CREATE OR REPLACE TEMP TABLE catalog_dates AS
SELECT model_id,
       NOT present AS lost,
       present AND newer AND (NOT getvariable('catalog_newest') OR stored_last_seen IS NOT NULL) AS seen,
       earlier
FROM catalog_in
WHERE (NOT present AND stored_last_seen IS NULL AND getvariable('catalog_newest'))
   OR (present AND newer AND (NOT getvariable('catalog_newest') OR stored_last_seen IS NOT NULL))
   OR earlier;

UPDATE model_catalog_stored c
SET last_seen = getvariable('catalog_newest_merged')
FROM (SELECT model_id FROM catalog_dates WHERE lost) f
WHERE c.model_id = f.model_id;

UPDATE model_catalog_stored c
SET last_seen = getvariable('catalog_seen_now')
FROM (SELECT model_id FROM catalog_dates WHERE seen) f
WHERE c.model_id = f.model_id;

UPDATE model_catalog_stored c
SET first_seen = getvariable('snapshot')::DATE
FROM (SELECT model_id FROM catalog_dates WHERE earlier) f
WHERE c.model_id = f.model_id;

INSERT INTO model_catalog_stored
SELECT model_id, author, created_at, base_models, base_relation, snapshot, getvariable('catalog_seen_now')
FROM catalog_rows
WHERE model_id IN (SELECT model_id FROM catalog_in WHERE is_new);
