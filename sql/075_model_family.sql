-- foreach: SELECT true AS todo WHERE getvariable('model_everything') OR EXISTS (SELECT 1 FROM model_redo) OR NOT EXISTS (SELECT 1 FROM duckdb_tables() WHERE table_name = 'model_family' AND NOT temporary)
-- Each model's share in each family: lineage roots matched to registry families (root ids after
-- legacy-id aliases, first family by name if two patterns match). is_original marks a family's
-- own root models. Kept between builds: only the models of model_redo are recomputed, unless
-- every model is (047, 049); when there are none the file does not run.
CREATE TABLE IF NOT EXISTS model_family (
    model_id VARCHAR,
    family VARCHAR,
    weight DOUBLE,
    is_original BOOLEAN
);

DELETE FROM model_family
WHERE getvariable('model_everything') OR model_id IN (SELECT model_id FROM model_redo);

INSERT INTO model_family
WITH lineage AS (
    SELECT * FROM model_lineage
    WHERE getvariable('model_everything') OR model_id IN (SELECT model_id FROM model_redo)
),
fam_roots AS (
    SELECT r.root_id, min(f.family) AS family
    FROM (SELECT DISTINCT root_id FROM lineage) r
    JOIN model_origin o ON o.model_id = r.root_id
    JOIN registry_families f ON o.resolved_id LIKE f.pattern
    GROUP BY r.root_id
)
SELECT l.model_id, fr.family, sum(l.weight) AS weight, bool_and(l.depth = 0) AS is_original
FROM lineage l
JOIN fam_roots fr ON fr.root_id = l.root_id
GROUP BY ALL;
