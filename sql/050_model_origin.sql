-- foreach: SELECT true AS todo WHERE getvariable('model_everything') OR EXISTS (SELECT 1 FROM model_redo) OR NOT EXISTS (SELECT 1 FROM duckdb_tables() WHERE table_name = 'model_origin' AND NOT temporary)
-- Uploader origin of every model in the catalog, of every base it names (bases missing from
-- the lake included, so lineage roots have an origin too) and of every model of an imported series. The namespace is taken from the
-- id after legacy-id aliases (gpt2 → openai-community/gpt2), then renamed through namespace
-- aliases (THUDM → zai-org); a namespace without a registry row is 'unknown', never guessed.
-- Kept between builds: only the models of model_redo are recomputed, unless everything is
-- (047, 049); when there are none the file does not run (its statements would still scan every
-- model).
CREATE TABLE IF NOT EXISTS model_origin (
    model_id VARCHAR,
    resolved_id VARCHAR,
    namespace VARCHAR,
    origin VARCHAR,
    kind VARCHAR,
    in_lake BOOLEAN
);

DELETE FROM model_origin
WHERE getvariable('model_everything') OR model_id IN (SELECT model_id FROM model_redo);

INSERT INTO model_origin
WITH ids AS (
    SELECT model_id, author, true AS in_lake
    FROM model_catalog_stored
    WHERE getvariable('model_everything') OR model_id IN (SELECT model_id FROM model_redo)
    UNION ALL
    -- bases named but never seen, and models known only from imported download series
    SELECT o.model_id, NULL, false
    FROM (
        SELECT base_id AS model_id FROM model_edges
        WHERE getvariable('model_everything') OR base_id IN (SELECT model_id FROM model_redo)
        UNION
        SELECT model_id FROM series_downloads
        WHERE getvariable('model_everything') OR model_id IN (SELECT model_id FROM model_redo)
    ) o
    ANTI JOIN model_catalog_stored c ON c.model_id = o.model_id
),
resolved AS (
    SELECT i.model_id, i.in_lake, coalesce(a."to", i.model_id) AS resolved_id, i.author
    FROM ids i
    LEFT JOIN registry_aliases a ON a."from" = i.model_id AND contains(a."to", '/')
),
ns AS (
    SELECT *,
        id_namespace(resolved_id, author) AS raw_namespace
    FROM resolved
)
SELECT
    ns.model_id,
    ns.resolved_id,
    coalesce(na.resolved, ns.raw_namespace) AS namespace,
    coalesce(o.country, 'unknown') AS origin,
    o.kind,
    ns.in_lake
FROM ns
LEFT JOIN namespace_aliases na ON na.namespace = ns.raw_namespace
LEFT JOIN registry_orgs o ON o.org = coalesce(na.resolved, ns.raw_namespace);
