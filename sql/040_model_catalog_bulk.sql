-- foreach: SELECT true AS empty WHERE NOT EXISTS (SELECT 1 FROM model_catalog_stored)
-- An empty catalog (a first build, --full, a changed lake) is filled in one pass over every
-- snapshot, each model described by its newest row: merging snapshots one at a time rewrites
-- every model once per snapshot (132 s for 52 snapshots of 2.2 million models, against one
-- pass). arg_max of a struct keeps the newest row's values, NULLs included. 041 then merges only
-- the snapshots this did not.
INSERT INTO model_catalog_stored
SELECT model_id, d.author, d.created_at, d.base_models, d.base_relation, first_seen,
       -- NULL: held by the newest snapshot (see 040_model_catalog.sql)
       nullif(last_seen, (SELECT max(snapshot) FROM snapshots))
FROM (
    SELECT model_id,
           arg_max({'author': author, 'created_at': created_at, 'base_models': base_models, 'base_relation': base_relation}, snapshot) AS d,
           min(snapshot) AS first_seen,
           max(snapshot) AS last_seen
    FROM lake_models
    GROUP BY model_id
);

INSERT INTO catalog_bulk_merged SELECT snapshot FROM new_snapshots;
