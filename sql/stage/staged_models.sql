-- Staged page files of one snapshot (NDJSON written by collect or import) typed as the columns
-- of models.parquet, plus `_s`, the order in which rows were staged (the last one seen wins).
-- Parameter: getvariable('stage_glob'), the glob of the staged page files.
CREATE OR REPLACE TEMP VIEW staged_models AS
SELECT
    model_id,
    author,
    -- a date that passed the collector's quick form check but does not exist (Feb 30) is NULL
    try_cast(created_at AS TIMESTAMPTZ)::TIMESTAMP AS created_at,
    downloads_30d,
    downloads_all_time,
    likes,
    pipeline_tag,
    library_name,
    tags,
    base_models,
    base_relation,
    _s
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
