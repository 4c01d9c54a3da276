-- foreach: SELECT unnest({{namespace_files}}::VARCHAR[]) AS file
-- One snapshot's namespaces.parquet (see 034_hub_namespaces.sql).
INSERT INTO hub_namespace_lookups
SELECT namespace, kind, display_name, looked_up_at,
       regexp_extract(getvariable('file'), 'snapshot=(\d{4}-\d{2}-\d{2})', 1)::DATE
FROM read_parquet(getvariable('file'));
