-- namespaces.parquet of one snapshot from the staged lookups (one JSON object a line), one row
-- per namespace (the newest lookup wins), sorted by namespace. Parameter:
-- getvariable('lookups_file').
CREATE OR REPLACE TEMP VIEW staged_namespaces AS
SELECT namespace, kind, display_name, looked_up_at::TIMESTAMPTZ::TIMESTAMP AS looked_up_at
FROM read_json(getvariable('lookups_file'), format = 'newline_delimited',
               columns = {namespace: 'VARCHAR', kind: 'VARCHAR', display_name: 'VARCHAR', looked_up_at: 'VARCHAR'})
QUALIFY row_number() OVER (PARTITION BY namespace ORDER BY looked_up_at DESC) = 1
ORDER BY namespace;
