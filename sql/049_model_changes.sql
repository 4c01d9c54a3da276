-- Which models the per-model tables (model_origin, model_lineage, model_family,
-- attribution_state) are recomputed for. They are kept between builds, and a model's rows depend
-- only on its own uploader and bases, on the models its lineage walk reaches (at most 16 steps),
-- and on the registry and imported series. So when neither the registry nor the series changed
-- and the catalog was merged rather than refilled, only these are recomputed: the models 041
-- added or changed, every model whose walk reaches one of them, and the bases named by no model
-- of the lake that enter or leave the tables. At Hub scale a week adds a few per cent of the
-- models; recomputing all 2.2 million cost 20 s a build. Otherwise (model_mode.everything)
-- every model is recomputed.
CREATE TABLE IF NOT EXISTS model_edges (model_id VARCHAR, base_id VARCHAR);
CREATE TABLE IF NOT EXISTS model_inputs_state (fingerprint UBIGINT);

-- Everything else the per-model rows are computed from: an order-free sum of row hashes.
CREATE OR REPLACE TEMP TABLE model_inputs_now AS
SELECT hash(
    (SELECT coalesce(sum(hash(o)), 0) FROM registry_orgs o),
    (SELECT coalesce(sum(hash(a)), 0) FROM registry_aliases a),
    (SELECT coalesce(sum(hash(f)), 0) FROM registry_families f),
    (SELECT coalesce(sum(hash(series, sha256)), 0) FROM series_files)
) AS fingerprint;

CREATE OR REPLACE TEMP TABLE model_mode AS
SELECT EXISTS (SELECT 1 FROM catalog_bulk_merged)
    OR NOT EXISTS (SELECT 1 FROM model_inputs_state WHERE fingerprint = (SELECT fingerprint FROM model_inputs_now))
    AS everything;

DELETE FROM model_inputs_state;
INSERT INTO model_inputs_state SELECT fingerprint FROM model_inputs_now;

-- The bases the touched models named before: one of them may now be named by no model.
CREATE OR REPLACE TEMP TABLE edges_dropped AS
SELECT DISTINCT e.base_id
FROM model_edges e
SEMI JOIN catalog_touched t ON t.model_id = e.model_id
WHERE NOT (SELECT everything FROM model_mode);

DELETE FROM model_edges
WHERE (SELECT everything FROM model_mode) OR model_id IN (SELECT model_id FROM catalog_touched);

INSERT INTO model_edges
SELECT DISTINCT model_id, unnest(base_models) AS base_id
FROM model_catalog
WHERE len(base_models) > 0
  AND ((SELECT everything FROM model_mode) OR model_id IN (SELECT model_id FROM catalog_touched));

-- Empty when everything is recomputed. Otherwise: the touched models, every model whose lineage
-- walk reaches one of them, and the bases named by no model of the lake that enter the tables
-- (named by a touched model) or leave them (named by none any more).
CREATE OR REPLACE TEMP TABLE model_redo AS
WITH RECURSIVE up(model_id, depth) AS (
    SELECT model_id, 0 FROM catalog_touched WHERE NOT (SELECT everything FROM model_mode)
    UNION
    SELECT e.model_id, u.depth + 1
    FROM up u
    JOIN model_edges e ON e.base_id = u.model_id
    WHERE u.depth < 16
),
missing_bases AS (
    SELECT e.base_id AS model_id
    FROM model_edges e
    SEMI JOIN catalog_touched t ON t.model_id = e.model_id
    UNION
    SELECT base_id FROM edges_dropped
)
SELECT model_id FROM up
UNION
SELECT m.model_id
FROM missing_bases m
ANTI JOIN model_catalog c ON c.model_id = m.model_id
WHERE NOT (SELECT everything FROM model_mode);
