-- Staged page files of one snapshot (NDJSON written by collect or import) typed as the columns
-- of models.parquet, plus `_s`, the order in which rows were staged (the last one seen wins).
-- Parameters: getvariable('stage_glob'), the glob of the staged page files;
-- getvariable('created_at_limit'), the latest possible creation time (the day after the snapshot).
CREATE OR REPLACE TEMP VIEW staged_models AS
SELECT
    model_id,
    author,
    -- a date that passed the collector's quick form check but does not exist (Feb 30) is NULL, and
    -- so is one outside the Hub's life (before 2016, when Hugging Face began, or after the
    -- snapshot): it would make a model "new" in a period it was not made in
    CASE WHEN try_cast(created_at AS TIMESTAMPTZ)::TIMESTAMP BETWEEN TIMESTAMP '2016-01-01' AND getvariable('created_at_limit')::TIMESTAMP
         THEN try_cast(created_at AS TIMESTAMPTZ)::TIMESTAMP END AS created_at,
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
