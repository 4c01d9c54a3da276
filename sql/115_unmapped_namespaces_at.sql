-- The curation queue as of any snapshot date: namespaces with no registry row, by their models'
-- downloads in that snapshot, with their three most downloaded models, and what the Hub said of
-- them when collect looked them up (kind 'org', 'user' or 'not_found'; NULL when never looked
-- up), so a curator can take the organisations first. Reports call it with their own date, so
-- a report depends only on the snapshots up to it (the kind too: the newest lookup up to it).
CREATE OR REPLACE MACRO unmapped_namespaces_at(as_of) AS TABLE
WITH at_date AS (
    SELECT l.model_id, l.downloads_all_time, l.downloads_30d, o.namespace
    FROM lake_models l
    JOIN model_origin o ON o.model_id = l.model_id
    WHERE l.snapshot = as_of AND o.origin = 'unknown'
)
SELECT
    coalesce(at_date.namespace, '(legacy id, no namespace)') AS namespace,
    count(*) AS models,
    sum(downloads_all_time) AS downloads_all_time,
    sum(downloads_30d) AS downloads_30d,
    -- the three most downloaded (NULL last, ties by id): a bounded heap per namespace, where an
    -- ordered list of every model held all of them in memory (Out of Memory at Hub scale)
    min_by(model_id, {'d': -coalesce(downloads_all_time, -1), 'id': model_id}, 3) AS top_models,
    any_value(h.kind) AS kind,
    any_value(h.display_name) AS display_name
FROM at_date
LEFT JOIN (
    SELECT namespace, kind, display_name
    FROM hub_namespace_lookups
    WHERE snapshot <= as_of
    QUALIFY row_number() OVER (PARTITION BY namespace ORDER BY snapshot DESC, looked_up_at DESC) = 1
) h ON h.namespace = at_date.namespace
GROUP BY coalesce(at_date.namespace, '(legacy id, no namespace)')
ORDER BY downloads_all_time DESC NULLS LAST, downloads_30d DESC NULLS LAST, namespace;
