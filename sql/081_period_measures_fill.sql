-- Sum the periods that have no measures yet (see 080_period_measures.sql).
INSERT INTO period_measures
WITH pd AS (SELECT * FROM measure_period_rows),
by_namespace AS (
    SELECT d.period_start, d.period_end, o.namespace, o.origin, sum(d.downloads)::DOUBLE AS downloads
    FROM pd d
    JOIN model_origin o ON o.model_id = d.model_id
    GROUP BY ALL
),
measures AS (
    SELECT 'namespace' AS subject, 'uploader' AS mode, coalesce(namespace, '(none)') AS key, period_start, period_end, downloads
    FROM by_namespace
    UNION ALL
    SELECT 'origin', 'uploader', origin, period_start, period_end, sum(downloads)
    FROM by_namespace
    GROUP BY ALL
    UNION ALL
    -- A zero for every period and mode, so a week in which nothing was downloaded still has a
    -- window (with share NULL) instead of vanishing from the trend.
    SELECT 'origin', m.mode, 'unknown', p.period_start, p.period_end, 0
    FROM measure_periods p CROSS JOIN (VALUES ('uploader'), ('lineage')) m(mode)
    UNION ALL
    SELECT 'origin', 'lineage', l.root_origin, d.period_start, d.period_end, sum(d.downloads * l.weight)
    FROM pd d
    JOIN model_lineage l ON l.model_id = d.model_id
    GROUP BY ALL
    UNION ALL
    -- lineage downloads of roots without a country, by the root's namespace: the unknown bucket
    -- of lineage mode, split by kind in unattributed_breakdown
    SELECT 'unknown_root', 'lineage', coalesce(l.root_namespace, '(none)'), d.period_start, d.period_end, sum(d.downloads * l.weight)
    FROM pd d
    JOIN model_lineage l ON l.model_id = d.model_id
    WHERE l.root_origin = 'unknown'
    GROUP BY ALL
    UNION ALL
    SELECT 'family', scope, family, period_start, period_end, sum(downloads)
    FROM (
        SELECT d.period_start, d.period_end, mf.family, d.downloads * mf.weight AS downloads, 'with_derivatives' AS scope
        FROM pd d JOIN model_family mf ON mf.model_id = d.model_id
        UNION ALL
        SELECT d.period_start, d.period_end, mf.family, d.downloads::DOUBLE, 'originals'
        FROM pd d JOIN model_family mf ON mf.model_id = d.model_id
        WHERE mf.is_original
    )
    GROUP BY ALL
)
SELECT subject, mode, key, period_start, period_end, sum(downloads) AS downloads
FROM measures
GROUP BY ALL;
