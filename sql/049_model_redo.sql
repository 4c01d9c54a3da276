-- Which models the per-model tables (model_origin, model_lineage, model_family,
-- attribution_state) are recomputed for. They are kept between builds, and a model's rows depend
-- only on its own uploader and bases, on the models its lineage walk reaches (at most 16 steps),
-- and on the registry and imported series. So when neither the registry nor the series changed
-- and the catalog was merged rather than refilled, only these are recomputed: the models 041
-- added or changed, every model whose walk reaches one of them, and the bases named by no model
-- of the lake that enter or leave the tables. At Hub scale a week adds a few per cent of the
-- models; recomputing all 2.2 million cost 20 s a build. Empty when every model is recomputed
-- (model_everything, 047). A base enters the tables when a touched model names it, and
-- leaves them when no model names it any more.
CREATE OR REPLACE TEMP TABLE model_redo AS
WITH RECURSIVE up(model_id, depth) AS (
    SELECT model_id, 0 FROM catalog_touched WHERE NOT getvariable('model_everything')
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
ANTI JOIN model_catalog_stored c ON c.model_id = m.model_id
WHERE NOT getvariable('model_everything');
