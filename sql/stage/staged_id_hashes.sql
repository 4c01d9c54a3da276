-- 64-bit hashes of every staged model_id, streamed out to find duplicates without a hash table
-- in DuckDB, and on the same pass whether the row's created_at is impossible (see
-- staged_models.sql), to count them. Parameters: getvariable('stage_glob'),
-- getvariable('created_at_limit').
SELECT
    hash(model_id) AS h,
    coalesce(try_cast(created_at AS TIMESTAMPTZ)::TIMESTAMP NOT BETWEEN TIMESTAMP '2016-01-01' AND getvariable('created_at_limit')::TIMESTAMP, false) AS impossible_created_at
FROM read_json(getvariable('stage_glob'), format = 'newline_delimited', columns = {model_id: 'VARCHAR', created_at: 'VARCHAR'});
