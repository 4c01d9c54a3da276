-- The curation queue as of any snapshot date: namespaces with no registry row, by their models'
-- downloads in that snapshot, with their three most downloaded models. Reports call it with
-- their own date, so a report depends only on the snapshots up to it.
CREATE OR REPLACE MACRO unmapped_namespaces_at(as_of) AS TABLE
WITH at_date AS (
    SELECT l.model_id, l.downloads_all_time, l.downloads_30d, o.namespace
    FROM lake_models l
    JOIN model_origin o ON o.model_id = l.model_id
    WHERE l.snapshot = as_of AND o.origin = 'unknown'
)
SELECT
    coalesce(namespace, '(legacy id, no namespace)') AS namespace,
    count(*) AS models,
    sum(downloads_all_time) AS downloads_all_time,
    sum(downloads_30d) AS downloads_30d,
    list(model_id ORDER BY downloads_all_time DESC NULLS LAST, model_id)[1:3] AS top_models
FROM at_date
GROUP BY ALL
ORDER BY downloads_all_time DESC NULLS LAST, downloads_30d DESC NULLS LAST, namespace;
