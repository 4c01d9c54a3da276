-- The rows of one hub-stats models.parquet (the public daily Hub statistics dataset, its weekly
-- derivatives, or a lake's own models.parquet) as the columns of the lake's models.parquet,
-- with the rules of parseModel in pipeline/hub/modelRow.ts, so an import skips what a crawl skips:
-- no id → missing_id; an id that is not `name` or `org/name` → bad_id; a counter that is not a
-- whole number ≥ 0 → bad_counter (NaN, pandas' missing value, is NULL, not bad).
--
-- Columns are looked up by every spelling in use (id | modelId | model_id, downloadsAllTime |
-- downloads_all_time, …) and may be absent: each row is turned into one JSON object holding only
-- the columns of interest, so a missing column is a missing key, not a binding error, and
-- baseModels, cardData and tags read the same whether the file stores them as structs and lists
-- or as JSON strings. Extra columns are never read.
--
-- Lineage: baseModels.models[].id (or a list of ids), else the `base_model:[relation:]id` tags,
-- else cardData.base_model (a string or a list) with cardData.base_model_relation.
--
-- Parameters: getvariable('parquet_path'); the page view numbers `_s` from getvariable('row_offset').

-- A JSON value that may hold JSON text as a string: the parsed text (NULL if it is not JSON).
CREATE OR REPLACE TEMP MACRO hs_unwrap(j) AS
    CASE WHEN json_type(j) = 'VARCHAR' THEN TRY_CAST(j ->> '$' AS JSON) ELSE j END;

-- A counter as a JSON value → {present, n}: present when the value is there and not null; n its
-- number (NULL when it is no number; NaN stays NaN).
CREATE OR REPLACE TEMP MACRO hs_number(j) AS
    {'present': coalesce(json_type(j) <> 'NULL', false), 'n': TRY_CAST(j ->> '$' AS DOUBLE)};

CREATE OR REPLACE TEMP MACRO hs_count_bad(c) AS
    coalesce(c.present AND (
        c.n IS NULL OR (NOT isnan(c.n) AND (c.n < 0 OR c.n <> floor(c.n) OR c.n > 9007199254740991))
    ), false);

CREATE OR REPLACE TEMP MACRO hs_count(c) AS
    CASE WHEN hs_count_bad(c) OR isnan(c.n) THEN NULL ELSE TRY_CAST(c.n AS BIGINT) END;

-- Ids in first-seen order, without NULLs, empties or repeats.
CREATE OR REPLACE TEMP MACRO hs_ids(l) AS
    list_filter(l, lambda x, i: x IS NOT NULL AND x <> '' AND list_position(l, x) = i);

CREATE OR REPLACE TEMP TABLE hub_stats_rows AS
WITH src AS (
    -- One parse of each row's JSON into the fields of interest (JSON values; NULL when absent).
    SELECT s._row, json_transform(to_json(s), '{
        "id": "JSON", "modelId": "JSON", "model_id": "JSON", "author": "JSON",
        "createdAt": "JSON", "created_at": "JSON", "downloads": "JSON", "downloads_30d": "JSON",
        "downloadsAllTime": "JSON", "downloads_all_time": "JSON", "likes": "JSON",
        "pipeline_tag": "JSON", "library_name": "JSON", "tags": "JSON",
        "baseModels": "JSON", "base_models": "JSON", "base_relation": "JSON",
        "cardData": "JSON", "card_data": "JSON"
    }') AS f
    FROM (
        SELECT
            file_row_number AS _row,
            COLUMNS('^(id|modelId|model_id|author|createdAt|created_at|downloads|downloads_30d|downloadsAllTime|downloads_all_time|likes|pipeline_tag|library_name|tags|baseModels|base_models|base_relation|cardData|card_data)$')
        FROM read_parquet(getvariable('parquet_path'), file_row_number = true, hive_partitioning = false)
    ) s
),
card AS (
    SELECT _row, f, hs_unwrap(coalesce(f.cardData, f.card_data)) AS card_j
    FROM src
),
fields AS (
    SELECT
        _row,
        coalesce(f.id, f.modelId, f.model_id) AS id_j,
        nullif(f.author ->> '$', '') AS author,
        TRY_CAST(coalesce(f.createdAt, f.created_at) ->> '$' AS TIMESTAMPTZ) AS created_ts,
        hs_number(coalesce(f.downloads, f.downloads_30d)) AS d30,
        hs_number(coalesce(f.downloadsAllTime, f.downloads_all_time)) AS dall,
        hs_number(f.likes) AS likes_c,
        nullif(f.pipeline_tag ->> '$', '') AS pipeline_tag,
        nullif(f.library_name ->> '$', '') AS library_name,
        hs_unwrap(f.tags) AS tags_j,
        hs_unwrap(coalesce(f.baseModels, f.base_models)) AS bm_j,
        nullif(f.base_relation ->> '$', '') AS lake_relation,
        card_j -> 'base_model' AS card_base_j,
        nullif(card_j ->> 'base_model_relation', '') AS card_relation
    FROM card
),
parsed AS (
    SELECT
        *,
        id_j ->> '$' AS id,
        CASE WHEN json_type(tags_j) = 'ARRAY' THEN from_json(tags_j, '["VARCHAR"]') END AS tags,
        hs_ids(list_transform(
            CASE json_type(bm_j) WHEN 'OBJECT' THEN json_extract(bm_j, '$.models[*]') WHEN 'ARRAY' THEN json_extract(bm_j, '$[*]') END,
            lambda m: CASE WHEN json_type(m) = 'OBJECT' THEN m ->> 'id' WHEN json_type(m) = 'VARCHAR' THEN m ->> '$' END
        )) AS bm_ids,
        CASE json_type(bm_j) WHEN 'OBJECT' THEN nullif(bm_j ->> 'relation', '') WHEN 'ARRAY' THEN lake_relation END AS bm_relation,
        hs_ids(CASE json_type(card_base_j)
            WHEN 'VARCHAR' THEN [card_base_j ->> '$']
            WHEN 'ARRAY' THEN list_transform(json_extract(card_base_j, '$[*]'), lambda x: x ->> '$')
        END) AS card_ids
    FROM fields
),
tagged AS (
    SELECT
        *,
        list_transform(
            list_filter(tags, lambda t: starts_with(t, 'base_model:')),
            lambda t: {
                'rel': CASE WHEN position(':' IN substr(t, 12)) > 1
                             AND split_part(substr(t, 12), ':', 1) IN ('finetune', 'adapter', 'quantized', 'merge')
                            THEN split_part(substr(t, 12), ':', 1) END,
                'rest': substr(t, 12)
            }
        ) AS base_tags
    FROM parsed
),
lineage AS (
    SELECT
        *,
        hs_ids(list_transform(base_tags, lambda b: CASE WHEN b.rel IS NULL THEN b.rest ELSE substr(b.rest, length(b.rel) + 2) END)) AS tag_ids,
        list_filter(list_transform(base_tags, lambda b: b.rel), lambda r: r IS NOT NULL)[1] AS tag_relation
    FROM tagged
)
SELECT
    _row,
    CASE
        WHEN id IS NULL OR id = '' THEN 'missing_id'
        WHEN json_type(id_j) <> 'VARCHAR' OR NOT regexp_full_match(id, '[\w.-]+(/[\w.-]+)?') THEN 'bad_id'
        WHEN hs_count_bad(d30) OR hs_count_bad(dall) OR hs_count_bad(likes_c) THEN 'bad_counter'
    END AS reason,
    id AS model_id,
    coalesce(author, CASE WHEN position('/' IN id) > 1 THEN split_part(id, '/', 1) END) AS author,
    strftime(created_ts, '%Y-%m-%dT%H:%M:%S.%gZ') AS created_at,
    hs_count(d30) AS downloads_30d,
    hs_count(dall) AS downloads_all_time,
    hs_count(likes_c) AS likes,
    pipeline_tag,
    library_name,
    tags,
    CASE WHEN len(bm_ids) > 0 THEN bm_ids WHEN len(tag_ids) > 0 THEN tag_ids WHEN len(card_ids) > 0 THEN card_ids END AS base_models,
    CASE WHEN len(bm_ids) > 0 THEN bm_relation WHEN len(tag_ids) > 0 THEN tag_relation WHEN len(card_ids) > 0 THEN card_relation END AS base_relation
FROM lineage;

-- The valid rows as a staged page (the columns of sql/stage/staged_models.sql), in file order.
CREATE OR REPLACE TEMP VIEW hub_stats_page AS
SELECT
    model_id, author, created_at, downloads_30d, downloads_all_time, likes,
    pipeline_tag, library_name, tags, base_models, base_relation,
    getvariable('row_offset')::BIGINT + row_number() OVER (ORDER BY _row) - 1 AS _s
FROM hub_stats_rows
WHERE reason IS NULL
ORDER BY _row;
