-- foreach: SELECT strftime(snapshot, '%Y-%m-%d') AS snapshot FROM new_snapshots WHERE snapshot NOT IN (SELECT snapshot FROM catalog_bulk_merged) ORDER BY snapshot
-- Merge one snapshot into model_catalog: the newer row describes the model.
MERGE INTO model_catalog c
USING (
    SELECT model_id, author, created_at, base_models, base_relation, snapshot
    FROM lake_models
    WHERE snapshot = getvariable('snapshot')::DATE
) f
ON c.model_id = f.model_id
WHEN MATCHED AND f.snapshot >= c.last_seen THEN UPDATE SET
    author = f.author, created_at = f.created_at, base_models = f.base_models,
    base_relation = f.base_relation, last_seen = f.snapshot, first_seen = least(c.first_seen, f.snapshot)
WHEN MATCHED THEN UPDATE SET first_seen = least(c.first_seen, f.snapshot)
WHEN NOT MATCHED THEN INSERT VALUES
    (f.model_id, f.author, f.created_at, f.base_models, f.base_relation, f.snapshot, f.snapshot);
