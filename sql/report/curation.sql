-- The curation queue as of the report date, for operators: namespaces with no registry row,
-- organisations first (the Hub says so; they can be attributed from public sources), then users
-- and namespaces never looked up, each by their models' all-time downloads. Written to
-- curation.md and curation.csv beside the report.
FROM unmapped_namespaces_at(getvariable('as_of')::DATE)
ORDER BY CASE kind WHEN 'org' THEN 0 WHEN 'user' THEN 1 ELSE 2 END,
    downloads_all_time DESC NULLS LAST, downloads_30d DESC NULLS LAST, namespace
LIMIT 100;
