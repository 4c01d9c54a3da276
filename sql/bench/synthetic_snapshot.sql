-- A synthetic weekly snapshot of a Hub-sized lake, written straight to Parquet for the build
-- benchmark (HTTP is measured separately). Parameters: getvariable('models'), getvariable('week').
-- Model n exists from week floor(n * 52 / models * 0.3) on; counters grow every week; 30% of
-- models derive from an earlier one, so the lineage walk has work to do.
CREATE OR REPLACE TEMP VIEW bench_snapshot AS
WITH m AS (
    SELECT range AS n, hash(range) AS h
    FROM range(getvariable('models')::BIGINT)
),
visible AS (
    SELECT *, (n * 15 // getvariable('models')::BIGINT) AS born_week FROM m
)
SELECT
    'org' || (h % 20000)::VARCHAR || '/model-' || n::VARCHAR AS model_id,
    'org' || (h % 20000)::VARCHAR AS author,
    TIMESTAMP '2025-01-01' + to_days(born_week::INTEGER * 7) + to_seconds((h % 86400)::BIGINT) AS created_at,
    ((h >> 8) % 1000 + 1)::BIGINT * 30 AS downloads_30d,
    (((h >> 8) % 1000 + 1) * 7 * (getvariable('week')::BIGINT - born_week + 1))::BIGINT AS downloads_all_time,
    ((h >> 20) % 100)::BIGINT AS likes,
    'text-generation' AS pipeline_tag,
    'transformers' AS library_name,
    ['transformers', 'license:apache-2.0'] AS tags,
    CASE WHEN (h >> 30) % 10 < 3 AND n > 0
         THEN ['org' || (hash(n // 2) % 20000)::VARCHAR || '/model-' || (n // 2)::VARCHAR]
         END AS base_models,
    CASE WHEN (h >> 30) % 10 < 3 AND n > 0 THEN 'finetune' END AS base_relation
FROM visible
WHERE born_week <= getvariable('week')::BIGINT
ORDER BY model_id;
