-- The lineage graph: each catalog model and each id in its base_models, the edges the lineage
-- walk (060) and the search for the models it must walk again (049) follow. Kept between
-- builds: the edges of the models 041 added or changed are rewritten, all of them when every
-- model is recomputed (047).
CREATE TABLE IF NOT EXISTS model_edges (model_id VARCHAR, base_id VARCHAR);

-- The bases the touched models named before: one of them may now be named by no model.
CREATE OR REPLACE TEMP TABLE edges_dropped AS
SELECT DISTINCT e.base_id
FROM model_edges e
SEMI JOIN catalog_touched t ON t.model_id = e.model_id
WHERE NOT getvariable('model_everything');

DELETE FROM model_edges
WHERE getvariable('model_everything') OR model_id IN (SELECT model_id FROM catalog_touched);

INSERT INTO model_edges
SELECT DISTINCT model_id, unnest(base_models) AS base_id
FROM model_catalog_stored
WHERE len(base_models) > 0
  AND (getvariable('model_everything') OR model_id IN (SELECT model_id FROM catalog_touched));
