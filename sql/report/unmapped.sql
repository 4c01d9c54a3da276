-- What to add to the registry next, as of the report date.
FROM unmapped_namespaces_at(getvariable('as_of')::DATE)
LIMIT 20;
