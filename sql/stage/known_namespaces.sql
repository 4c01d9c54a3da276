-- What earlier snapshots learned about namespaces: the newest lookup of each, from every
-- published snapshot's namespaces.parquet. Parameter: getvariable('namespace_files').
SELECT namespace, kind, display_name, strftime(looked_up_at, '%Y-%m-%dT%H:%M:%S.%gZ') AS looked_up_at
FROM read_parquet(getvariable('namespace_files')::VARCHAR[])
QUALIFY row_number() OVER (PARTITION BY namespace ORDER BY looked_up_at DESC) = 1;
