-- foreach: SELECT true AS empty WHERE NOT EXISTS (SELECT 1 FROM model_catalog_stored)
-- An empty catalog (a first build, --full, a changed lake) is filled in one pass over every
-- snapshot: merging snapshots one at a time rewrites every model once per snapshot (132 s for
-- 52 snapshots of 2.2 million models, against one pass). 041 then merges only the snapshots
-- this did not.
-- Each model is described by its row in the snapshot it was last seen in (a snapshot holds one
-- row per model). The pass over every row groups only the ids and dates; the descriptions are
-- read from the newest snapshot for the models it holds, and from older snapshots only for the
-- models they were last seen in. One aggregate keeping the newest row's description (arg_max of
-- a struct with a list) grouped 114 million rows with their descriptions: 19.4 s at Hub scale
-- with 52 snapshots, against 5.8 s for the dates and 0.9 s for the newest snapshot's rows.
CREATE OR REPLACE TEMP TABLE catalog_bulk_seen AS
SELECT model_id, min(snapshot) AS first_seen, max(snapshot) AS last_seen
FROM lake_models
GROUP BY model_id;

-- The newest snapshot of the lake, not the newest date a model was seen: a newest snapshot that
-- holds no model leaves every model the date it was last seen in.
SET VARIABLE catalog_bulk_newest = (SELECT max(snapshot) FROM snapshots);

-- last_seen NULL: held by the newest snapshot (see 040_model_catalog.sql)
INSERT INTO model_catalog_stored
SELECT l.model_id, l.author, l.created_at, l.base_models, l.base_relation, s.first_seen, NULL
FROM lake_models l
JOIN catalog_bulk_seen s ON s.model_id = l.model_id
WHERE l.snapshot = getvariable('catalog_bulk_newest')
  AND s.last_seen = getvariable('catalog_bulk_newest');

-- The models the newest snapshot lacks, from the snapshot each was last seen in: a pass over
-- the older snapshots' rows, skipped when every model is in the newest.
INSERT INTO model_catalog_stored
SELECT l.model_id, l.author, l.created_at, l.base_models, l.base_relation, s.first_seen, s.last_seen
FROM lake_models l
JOIN (
    SELECT model_id, first_seen, last_seen FROM catalog_bulk_seen
    WHERE last_seen < getvariable('catalog_bulk_newest')
) s ON s.model_id = l.model_id AND s.last_seen = l.snapshot
WHERE l.snapshot < getvariable('catalog_bulk_newest');

INSERT INTO catalog_bulk_merged SELECT snapshot FROM new_snapshots;
