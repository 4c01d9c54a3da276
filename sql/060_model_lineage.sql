-- foreach: SELECT true AS todo WHERE getvariable('model_everything') OR EXISTS (SELECT 1 FROM model_redo) OR NOT EXISTS (SELECT 1 FROM duckdb_tables() WHERE table_name = 'model_lineage' AND NOT temporary)
-- Lineage roots of every model in the catalog: base_models followed to models that name no
-- base (or are missing from the lake), cycle-safe, at most 16 steps. A model with r distinct
-- roots gives each 1/r of its downloads (merges). A model without bases is its own root.
-- Bases are looked up among all models ever seen, not only one snapshot, so a base missing
-- from one partial crawl does not change a model's attribution.
-- Kept between builds: only the models of model_redo are walked again, unless every model is
-- (047, 049); a walk reads every edge, so it gives the same rows whichever models it starts from.
-- When there are none the file does not run.
CREATE TABLE IF NOT EXISTS model_lineage (
    model_id VARCHAR,
    root_id VARCHAR,
    depth INTEGER,
    weight DOUBLE,
    root_namespace VARCHAR,
    root_origin VARCHAR
);

DELETE FROM model_lineage
WHERE getvariable('model_everything') OR model_id IN (SELECT model_id FROM model_redo);

-- The roots are set apart in a table before their origins are looked up: inside one statement
-- DuckDB estimated them in the hundreds of millions and hashed all of model_origin to probe it
-- with them (1.2 s of a 1.6 s walk for a week adding 147,000 models at Hub scale).
CREATE OR REPLACE TEMP TABLE lineage_roots AS
WITH RECURSIVE redo AS MATERIALIZED (
    SELECT model_id FROM model_redo
),
walk(model_id, node, depth, path) AS MATERIALIZED (
    SELECT DISTINCT model_id, model_id, 0, [model_id]
    FROM model_edges
    WHERE getvariable('model_everything') OR model_id IN (SELECT model_id FROM redo)
    UNION ALL
    SELECT w.model_id, e.base_id, w.depth + 1, list_append(w.path, e.base_id)
    FROM walk w
    JOIN model_edges e ON e.model_id = w.node
    WHERE w.depth < 16 AND NOT list_contains(w.path, e.base_id)
),
roots AS (
    SELECT w.model_id, w.node AS root_id, min(w.depth) AS depth
    FROM walk w
    -- the walked nodes that name bases: edges looked up by the nodes, not hashed whole
    ANTI JOIN (
        SELECT DISTINCT e.model_id FROM model_edges e SEMI JOIN walk n ON n.node = e.model_id
    ) d ON d.model_id = w.node
    WHERE w.depth > 0
    GROUP BY ALL
    UNION ALL
    SELECT w.model_id, w.node, 16 FROM walk w WHERE w.depth = 16
),
distinct_roots AS (
    SELECT model_id, root_id, min(depth) AS depth FROM roots GROUP BY ALL
),
-- Only models with bases can have several roots: the count runs over those alone (most models
-- have no base, and a window over every model cost more than the walk).
all_roots AS (
    SELECT model_id, root_id, depth, 1.0 / count(*) OVER (PARTITION BY model_id) AS weight
    FROM distinct_roots
    UNION ALL
    SELECT c.model_id, c.model_id, 0, 1.0
    FROM (
        -- the models to do first, then those without roots: the other order anti-joined every model
        SELECT model_id FROM model_catalog_stored WHERE getvariable('model_everything')
        UNION ALL
        SELECT c.model_id FROM model_catalog_stored c SEMI JOIN redo r ON r.model_id = c.model_id
    ) c
    ANTI JOIN distinct_roots r ON r.model_id = c.model_id
    UNION ALL
    -- models known only as a missing base or from an imported series: their own roots
    SELECT o.model_id, o.model_id, 0, 1.0
    FROM model_origin o
    WHERE NOT o.in_lake
      AND (getvariable('model_everything') OR o.model_id IN (SELECT model_id FROM redo))
)
SELECT * FROM all_roots;

INSERT INTO model_lineage
SELECT
    r.model_id,
    r.root_id,
    r.depth,
    r.weight,
    o.namespace AS root_namespace,
    coalesce(o.origin, 'unknown') AS root_origin
FROM lineage_roots r
-- only the roots' rows of model_origin: a hash table of all of it cost 1.1 s a week at Hub scale
LEFT JOIN (
    SELECT o.model_id, o.namespace, o.origin
    FROM model_origin o
    SEMI JOIN (SELECT DISTINCT root_id FROM lineage_roots) r ON r.root_id = o.model_id
) o ON o.model_id = r.root_id;
