-- foreach: SELECT strftime(snapshot, '%Y-%m-%d') AS snapshot FROM new_snapshots WHERE snapshot NOT IN (SELECT snapshot FROM catalog_bulk_merged) ORDER BY snapshot
-- Merge one snapshot into model_catalog: the newer row describes the model. One join of the
-- snapshot with the catalog says what each row changes, comparing hashes of the descriptions
-- (a hash table of 2.2 million lists is what made a MERGE cost 4 s a week at Hub scale); only
-- what changed is written. The models the snapshot adds, or whose uploader or bases it
-- changes, go to catalog_touched (049).
-- A snapshot newer than every one merged (a new week) is every present model's last_seen: the
-- whole column is set below, and the models it lacks get theirs back; an update joined row by row
-- cost 1 s. A snapshot merged out of order updates only the rows it is newer for.
SET VARIABLE catalog_newest = getvariable('snapshot')::DATE > coalesce((SELECT max(last_seen) FROM model_catalog), DATE '0001-01-01');

-- Only the rows that change something are kept: in a new week almost every model is present,
-- known and described as before, and keeping all 2.2 million rows with their flags cost 0.6 s
-- more at Hub scale than filtering them in the join. The filter reads a variable, not a
-- subquery, which DuckDB would join with every row.
CREATE OR REPLACE TEMP TABLE catalog_in AS
WITH f AS (
    SELECT model_id, snapshot,
           hash(author, base_models) AS attribution_hash,
           hash(author, created_at, base_models, base_relation) AS description_hash
    FROM lake_models
    WHERE snapshot = getvariable('snapshot')::DATE
),
c AS (
    SELECT model_id, first_seen, last_seen,
           hash(author, base_models) AS attribution_hash,
           hash(author, created_at, base_models, base_relation) AS description_hash
    FROM model_catalog
)
SELECT coalesce(f.model_id, c.model_id) AS model_id,
       f.model_id IS NOT NULL AS present,
       c.model_id IS NULL AS is_new,
       c.last_seen AS old_last_seen,
       c.model_id IS NOT NULL AND f.snapshot >= c.last_seen AS newer,
       c.model_id IS NOT NULL AND f.snapshot >= c.last_seen AND f.description_hash <> c.description_hash AS described,
       c.model_id IS NOT NULL AND f.snapshot >= c.last_seen AND f.attribution_hash <> c.attribution_hash AS touched,
       c.model_id IS NOT NULL AND f.snapshot < c.first_seen AS earlier
FROM f
FULL OUTER JOIN c ON c.model_id = f.model_id
WHERE f.model_id IS NULL
   OR c.model_id IS NULL
   OR f.description_hash <> c.description_hash
   OR f.attribution_hash <> c.attribution_hash
   OR f.snapshot < c.first_seen
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

UPDATE model_catalog c
SET author = f.author, created_at = f.created_at, base_models = f.base_models, base_relation = f.base_relation
FROM catalog_rows f
WHERE c.model_id = f.model_id;

UPDATE model_catalog
SET last_seen = getvariable('snapshot')::DATE
WHERE getvariable('catalog_newest');

-- The few rows each of the updates below changes are set apart first: joined straight from
-- catalog_in, DuckDB cannot know how few pass the filter and hashes the whole catalog (0.33 s a
-- week at Hub scale for an update of no row; 2-3 ms each from this table).
CREATE OR REPLACE TEMP TABLE catalog_dates AS
SELECT model_id, old_last_seen, present, newer, earlier
FROM catalog_in
WHERE (NOT present AND getvariable('catalog_newest'))
   OR (newer AND NOT getvariable('catalog_newest'))
   OR earlier;

UPDATE model_catalog c
SET last_seen = f.old_last_seen
FROM (SELECT model_id, old_last_seen FROM catalog_dates WHERE NOT present) f
WHERE c.model_id = f.model_id;

UPDATE model_catalog c
SET last_seen = getvariable('snapshot')::DATE
FROM (SELECT model_id FROM catalog_dates WHERE newer) f
WHERE c.model_id = f.model_id;

UPDATE model_catalog c
SET first_seen = getvariable('snapshot')::DATE
FROM (SELECT model_id FROM catalog_dates WHERE earlier) f
WHERE c.model_id = f.model_id;

INSERT INTO model_catalog
SELECT model_id, author, created_at, base_models, base_relation, snapshot, snapshot
FROM catalog_rows
WHERE model_id IN (SELECT model_id FROM catalog_in WHERE is_new);
