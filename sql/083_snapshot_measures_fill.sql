-- foreach: SELECT list({{snapshots_glob_dir}} || '/snapshot=' || strftime(snapshot, '%Y-%m-%d') || '/models.parquet' ORDER BY snapshot) AS files FROM snapshots WHERE snapshot NOT IN (SELECT DISTINCT snapshot FROM snapshot_measures) HAVING count(*) > 0
-- Sum the counters of every snapshot without measures (see 082_snapshot_measures.sql), in one
-- pass over their files: each join's hash table of every model is built once, not once per
-- snapshot (52 snapshots of 2.2 million models: 96 s one at a time).
-- rows is read once per join below rather than materialized (see 081): at Hub scale 58 s and
-- 2.4 GB of RSS materialized, 25 s and 0.8 GB read three times.
INSERT INTO snapshot_measures
WITH rows AS NOT MATERIALIZED (
    SELECT snapshot, model_id, downloads_all_time::DOUBLE AS a, downloads_30d::DOUBLE AS w
    FROM read_parquet({{files}}, hive_partitioning = true, hive_types = {'snapshot': DATE})
),
by_namespace AS (
    SELECT r.snapshot, o.namespace, o.origin, sum(r.a) AS all_time, sum(r.w) AS window30
    FROM rows r JOIN model_origin o ON o.model_id = r.model_id
    GROUP BY ALL
),
-- One join with the lineage and one with the families, each serving two subjects (see 081).
by_root AS (
    SELECT r.snapshot, l.root_origin,
           CASE WHEN l.root_origin = 'unknown' THEN coalesce(l.root_namespace, '(none)') END AS root_namespace,
           sum(r.a * l.weight) AS all_time, sum(r.w * l.weight) AS window30
    FROM rows r JOIN model_lineage l ON l.model_id = r.model_id
    GROUP BY ALL
),
by_family AS (
    SELECT r.snapshot, mf.family,
           sum(r.a * mf.weight) AS a_with, sum(r.w * mf.weight) AS w_with,
           sum(r.a) FILTER (WHERE mf.is_original) AS a_orig, sum(r.w) FILTER (WHERE mf.is_original) AS w_orig,
           count(*) FILTER (WHERE mf.is_original) AS originals
    FROM rows r JOIN model_family mf ON mf.model_id = r.model_id
    GROUP BY ALL
)
SELECT 'namespace' AS subject, 'uploader' AS mode, coalesce(namespace, '(none)') AS key, snapshot, all_time, window30
FROM by_namespace
UNION ALL
SELECT 'origin', 'uploader', origin, snapshot, sum(all_time), sum(window30)
FROM by_namespace
GROUP BY ALL
UNION ALL
SELECT 'origin', 'lineage', root_origin, snapshot, sum(all_time), sum(window30)
FROM by_root
GROUP BY ALL
UNION ALL
SELECT 'unknown_root', 'lineage', root_namespace, snapshot, all_time, window30
FROM by_root
WHERE root_origin = 'unknown'
UNION ALL
SELECT 'family', 'with_derivatives', family, snapshot, a_with, w_with
FROM by_family
UNION ALL
SELECT 'family', 'originals', family, snapshot, a_orig, w_orig
FROM by_family
WHERE originals > 0;
