-- The curation queue of `hubtrends registry queue`: uploader namespaces without a registry
-- country, by their downloads in one window (getvariable('metric'): period, trailing,
-- cumulative, all_time or window30, ending at getvariable('as_of')), with what the Hub said of
-- them by then (kind, display name), their three most downloaded models at that snapshot, and, as a hint
-- for the curator and never as an answer, the countries of their models' lineage roots weighted
-- by all-time downloads. getvariable('kind') keeps one kind only when set ('org', 'user',
-- 'not_found' or 'none' for never looked up); getvariable('lim') caps the rows.
WITH unmapped AS (
    SELECT w.key AS namespace, w.downloads
    FROM window_measures w
    LEFT JOIN registry_orgs r ON r.org = w.key
    WHERE w.subject = 'namespace' AND w.mode = 'uploader' AND w.metric = getvariable('metric')
      AND w.window_end = getvariable('as_of')::DATE
      AND coalesce(r.country, 'unknown') = 'unknown'
),
models AS (
    SELECT coalesce(o.namespace, '(none)') AS namespace, l.model_id, l.downloads_all_time
    FROM lake_models l
    JOIN model_origin o ON o.model_id = l.model_id
    WHERE l.snapshot = getvariable('as_of')::DATE
),
top AS (
    -- the three most downloaded (NULL last, ties by id), as a bounded heap per namespace
    SELECT namespace, min_by(model_id, {'d': -coalesce(downloads_all_time, -1), 'id': model_id}, 3) AS top_models
    FROM models
    GROUP BY namespace
),
roots AS (
    SELECT m.namespace, ln.root_origin, sum(coalesce(m.downloads_all_time, 0) * ln.weight) AS weight
    FROM models m
    JOIN model_lineage ln ON ln.model_id = m.model_id
    WHERE ln.root_origin <> 'unknown'
    GROUP BY ALL
),
hint AS (
    SELECT namespace,
        string_agg(root_origin || ' ' || coalesce(pct::VARCHAR, '?') || '%', ', ' ORDER BY weight DESC, root_origin) AS lineage_hint
    FROM (SELECT *, round(100 * weight / nullif(sum(weight) OVER (PARTITION BY namespace), 0))::INTEGER AS pct FROM roots)
    GROUP BY namespace
)
SELECT
    u.namespace,
    h.kind,
    h.display_name,
    u.downloads,
    t.top_models,
    x.lineage_hint
FROM unmapped u
LEFT JOIN (
    SELECT namespace, kind, display_name
    FROM hub_namespace_lookups
    WHERE snapshot <= getvariable('as_of')::DATE
    QUALIFY row_number() OVER (PARTITION BY namespace ORDER BY snapshot DESC, looked_up_at DESC) = 1
) h ON h.namespace = u.namespace
LEFT JOIN top t ON t.namespace = u.namespace
LEFT JOIN hint x ON x.namespace = u.namespace
WHERE getvariable('kind') IS NULL
   OR coalesce(h.kind, 'none') = getvariable('kind')
ORDER BY u.downloads DESC, u.namespace
LIMIT getvariable('lim')::BIGINT;
