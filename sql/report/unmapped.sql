-- What to add to the registry next: namespaces with no registry row, by their models' downloads
-- in the report date's snapshot (not the warehouse's newest, so a report depends only on the
-- snapshots up to its date), with their three most downloaded models.
WITH at_date AS (
    SELECT l.model_id, l.downloads_all_time, l.downloads_30d, o.namespace
    FROM lake_models l
    JOIN model_origin o ON o.model_id = l.model_id
    WHERE l.snapshot = getvariable('as_of')::DATE AND o.origin = 'unknown'
)
SELECT
    coalesce(namespace, '(legacy id, no namespace)') AS namespace,
    count(*) AS models,
    sum(downloads_all_time) AS downloads_all_time,
    sum(downloads_30d) AS downloads_30d,
    list(model_id ORDER BY downloads_all_time DESC NULLS LAST, model_id)[1:3] AS top_models
FROM at_date
GROUP BY ALL
ORDER BY downloads_all_time DESC NULLS LAST, downloads_30d DESC NULLS LAST, namespace
LIMIT 20;
