-- Sum the periods that have no measures yet (see 080_period_measures.sql).
-- pd is read once per join below rather than materialized: materializing every row of a full
-- build's 51 periods took 55 s and most of the memory budget, reading the files again 30 s.
INSERT INTO period_measures
WITH pd AS NOT MATERIALIZED (SELECT * FROM measure_period_rows),
by_namespace AS (
    SELECT d.period_start, d.period_end, o.namespace, o.origin, sum(d.downloads)::DOUBLE AS downloads
    FROM pd d
    JOIN model_origin o ON o.model_id = d.model_id
    GROUP BY ALL
),
-- One join of the rows with the lineage and one with the families serve two subjects each: at
-- Hub scale every extra join is a pass over every period's rows.
by_root AS (
    SELECT d.period_start, d.period_end, l.root_origin,
           CASE WHEN l.root_origin = 'unknown' THEN coalesce(l.root_namespace, '(none)') END AS root_namespace,
           sum(d.downloads * l.weight) AS downloads
    FROM pd d
    JOIN model_lineage l ON l.model_id = d.model_id
    GROUP BY ALL
),
by_family AS (
    SELECT d.period_start, d.period_end, mf.family,
           sum(d.downloads * mf.weight) AS with_derivatives,
           sum(d.downloads::DOUBLE) FILTER (WHERE mf.is_original) AS originals
    FROM pd d
    JOIN model_family mf ON mf.model_id = d.model_id
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
    SELECT 'origin', 'lineage', root_origin, period_start, period_end, sum(downloads)
    FROM by_root
    GROUP BY ALL
    UNION ALL
    -- lineage downloads of roots without a country, by the root's namespace: the unknown bucket
    -- of lineage mode, split by kind in unattributed_breakdown
    SELECT 'unknown_root', 'lineage', root_namespace, period_start, period_end, downloads
    FROM by_root
    WHERE root_origin = 'unknown'
    UNION ALL
    SELECT 'family', 'with_derivatives', family, period_start, period_end, with_derivatives
    FROM by_family
    UNION ALL
    SELECT 'family', 'originals', family, period_start, period_end, originals
    FROM by_family
    WHERE originals IS NOT NULL
)
SELECT subject, mode, key, period_start, period_end, sum(downloads) AS downloads
FROM measures
GROUP BY ALL;
