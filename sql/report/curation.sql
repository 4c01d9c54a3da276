-- The curation queue as of the report date, for operators: namespaces with no registry row, by
-- their models' all-time downloads. Written to curation.md and curation.csv beside the report.
FROM unmapped_namespaces_at(getvariable('as_of')::DATE)
LIMIT 100;
