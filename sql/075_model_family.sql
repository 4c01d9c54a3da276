-- Each model's share in each family: lineage roots matched to registry families (root ids after
-- legacy-id aliases, first family by name if two patterns match). is_original marks a family's
-- own root models.
CREATE OR REPLACE TABLE model_family AS
WITH fam_roots AS (
    SELECT r.root_id, min(f.family) AS family
    FROM (SELECT DISTINCT root_id FROM model_lineage) r
    JOIN model_origin o ON o.model_id = r.root_id
    JOIN registry_families f ON o.resolved_id LIKE f.pattern
    GROUP BY r.root_id
)
SELECT l.model_id, fr.family, sum(l.weight) AS weight, bool_and(l.depth = 0) AS is_original
FROM model_lineage l
JOIN fam_roots fr ON fr.root_id = l.root_id
GROUP BY ALL;
