-- Staged page files of one snapshot (NDJSON written by collect or import) as the rows of
-- models.parquet: one row per model_id, the last one seen winning, in the order staged.
-- Parameter: getvariable('stage_glob'), the glob of the staged page files.
--
-- Memory stays bounded (the collector runs in well under 300 MB for 2.2 million models):
-- duplicates are found through 64-bit hashes of the ids first, a narrow aggregate, and only
-- the few candidate ids are compared as strings; no sort of the wide rows is needed.
CREATE OR REPLACE TEMP VIEW staged_raw AS
SELECT *
FROM read_json(
    getvariable('stage_glob'),
    format = 'newline_delimited',
    columns = {
        model_id: 'VARCHAR', author: 'VARCHAR', created_at: 'VARCHAR',
        downloads_30d: 'BIGINT', downloads_all_time: 'BIGINT', likes: 'BIGINT',
        pipeline_tag: 'VARCHAR', library_name: 'VARCHAR', tags: 'VARCHAR[]',
        base_models: 'VARCHAR[]', base_relation: 'VARCHAR', _s: 'BIGINT'
    }
);

CREATE OR REPLACE TEMP TABLE staged_dup_hashes AS
SELECT hash(model_id) AS h
FROM read_json(getvariable('stage_glob'), format = 'newline_delimited', columns = {model_id: 'VARCHAR'})
GROUP BY h
HAVING count(*) > 1;

CREATE OR REPLACE TEMP TABLE staged_dups AS
SELECT model_id, max(_s) AS keep_s
FROM staged_raw
WHERE hash(model_id) IN (SELECT h FROM staged_dup_hashes)
GROUP BY model_id
HAVING count(*) > 1;

CREATE OR REPLACE TEMP VIEW staged_models AS
SELECT
    r.model_id,
    r.author,
    r.created_at::TIMESTAMPTZ::TIMESTAMP AS created_at,
    r.downloads_30d,
    r.downloads_all_time,
    r.likes,
    r.pipeline_tag,
    r.library_name,
    r.tags,
    r.base_models,
    r.base_relation
FROM staged_raw r
ANTI JOIN staged_dups d ON d.model_id = r.model_id AND d.keep_s <> r._s;
