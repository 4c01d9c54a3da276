-- The curation queue: namespaces with no registry row, by their models' downloads in the latest
-- snapshot, with their three most downloaded models. Add the top ones to orgs.csv.
CREATE OR REPLACE TABLE unmapped_namespaces AS
WITH latest AS (
    SELECT l.model_id, l.downloads_all_time, l.downloads_30d, o.namespace
    FROM lake_models l
    JOIN model_origin o ON o.model_id = l.model_id
    WHERE l.snapshot = (SELECT max(snapshot) FROM snapshots) AND o.origin = 'unknown'
)
SELECT
    coalesce(namespace, '(legacy id, no namespace)') AS namespace,
    count(*) AS models,
    sum(downloads_all_time) AS downloads_all_time,
    sum(downloads_30d) AS downloads_30d,
    list(model_id ORDER BY downloads_all_time DESC NULLS LAST, model_id)[1:3] AS top_models
FROM latest
GROUP BY ALL
ORDER BY downloads_all_time DESC NULLS LAST, downloads_30d DESC NULLS LAST, namespace;
