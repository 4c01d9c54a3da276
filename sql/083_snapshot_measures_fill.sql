-- foreach: SELECT strftime(snapshot, '%Y-%m-%d') AS snapshot FROM snapshots WHERE snapshot NOT IN (SELECT DISTINCT snapshot FROM snapshot_measures) ORDER BY snapshot
-- Sum one snapshot's counters (see 082_snapshot_measures.sql).
INSERT INTO snapshot_measures
WITH rows AS (
    SELECT snapshot, model_id, downloads_all_time::DOUBLE AS a, downloads_30d::DOUBLE AS w
    FROM lake_models
    WHERE snapshot = getvariable('snapshot')::DATE
),
by_namespace AS (
    SELECT r.snapshot, o.namespace, o.origin, sum(r.a) AS all_time, sum(r.w) AS window30
    FROM rows r JOIN model_origin o ON o.model_id = r.model_id
    GROUP BY ALL
)
SELECT 'namespace' AS subject, 'uploader' AS mode, coalesce(namespace, '(none)') AS key, snapshot, all_time, window30
FROM by_namespace
UNION ALL
SELECT 'origin', 'uploader', origin, snapshot, sum(all_time), sum(window30)
FROM by_namespace
GROUP BY ALL
UNION ALL
SELECT 'origin', 'lineage', l.root_origin, r.snapshot, sum(r.a * l.weight), sum(r.w * l.weight)
FROM rows r JOIN model_lineage l ON l.model_id = r.model_id
GROUP BY ALL
UNION ALL
SELECT 'unknown_root', 'lineage', coalesce(l.root_namespace, '(none)'), r.snapshot, sum(r.a * l.weight), sum(r.w * l.weight)
FROM rows r JOIN model_lineage l ON l.model_id = r.model_id
WHERE l.root_origin = 'unknown'
GROUP BY ALL
UNION ALL
SELECT 'family', scope, family, snapshot, sum(a), sum(w)
FROM (
    SELECT r.snapshot, mf.family, r.a * mf.weight AS a, r.w * mf.weight AS w, 'with_derivatives' AS scope
    FROM rows r JOIN model_family mf ON mf.model_id = r.model_id
    UNION ALL
    SELECT r.snapshot, mf.family, r.a, r.w, 'originals'
    FROM rows r JOIN model_family mf ON mf.model_id = r.model_id
    WHERE mf.is_original
)
GROUP BY ALL;
