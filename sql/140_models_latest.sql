-- The newest snapshot's rows with each model's uploader origin and lineage roots.
CREATE OR REPLACE VIEW models_latest AS
SELECT
    l.* EXCLUDE (snapshot),
    l.snapshot,
    o.namespace,
    o.origin,
    o.kind,
    r.roots,
    r.root_origins
FROM lake_models l
LEFT JOIN model_origin o ON o.model_id = l.model_id
LEFT JOIN (
    SELECT model_id, list(root_id ORDER BY root_id) AS roots, list_sort(list(DISTINCT root_origin)) AS root_origins
    FROM model_lineage GROUP BY model_id
) r ON r.model_id = l.model_id
WHERE l.snapshot = (SELECT max(snapshot) FROM snapshots);
