-- 64-bit hashes of every staged model_id, streamed out to find duplicates without a hash table
-- in DuckDB. Parameter: getvariable('stage_glob').
SELECT hash(model_id) AS h
FROM read_json(getvariable('stage_glob'), format = 'newline_delimited', columns = {model_id: 'VARCHAR'});
