-- The curation queue as of any snapshot date: namespaces with no registry row, by their models'
-- downloads in that snapshot, with their three most downloaded models, and what the Hub said of
-- them when collect looked them up (kind 'org', 'user' or 'not_found'; NULL when never looked
-- up), so a curator can take the organisations first. Reports call it with their own date, so
-- a report depends only on the snapshots up to it (the kind too: the newest lookup up to it).
CREATE OR REPLACE MACRO unmapped_namespaces_at(as_of) AS TABLE
-- Each row's namespace as 050 derives a model's, from the row itself and the registry: the id
-- after legacy-id aliases, its first part (the uploader for a legacy id without one), renamed
-- through namespace_aliases. From the row, not from model_origin: the snapshot's own uploader,
-- and no join of every row with 2.2 million ids (0.65-1.06 s a build at Hub scale).
WITH resolved AS (
    SELECT l.model_id, l.downloads_all_time, l.downloads_30d, l.author, coalesce(a."to", l.model_id) AS resolved_id
    FROM lake_models l
    LEFT JOIN (SELECT "from", "to" FROM registry_aliases WHERE contains("to", '/')) a ON a."from" = l.model_id
    WHERE l.snapshot = as_of
),
named AS (
    SELECT model_id, downloads_all_time, downloads_30d,
           id_namespace(resolved_id, author) AS raw_namespace
    FROM resolved
),
at_date AS (
    SELECT n.model_id, n.downloads_all_time, n.downloads_30d, coalesce(na.resolved, n.raw_namespace) AS namespace
    FROM named n
    LEFT JOIN namespace_aliases na ON na.namespace = n.raw_namespace
    LEFT JOIN registry_orgs o ON o.org = coalesce(na.resolved, n.raw_namespace)
    WHERE coalesce(o.country, 'unknown') = 'unknown'
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
