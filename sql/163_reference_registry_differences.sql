-- Namespaces that a study's published registry puts in another region than registry/orgs.csv
-- does: one row per study and namespace of its registry that differs. The namespace is compared
-- after hubtrends' aliases (ATOM keeps THUDM and zai-org apart; hubtrends reads THUDM as zai-org).
-- A namespace hubtrends leaves unknown is listed too (hubtrends_origin 'unknown'), but counted in
-- reference_comparison as unattributed, not as a registry difference.
CREATE OR REPLACE TABLE reference_registry_differences AS
SELECT r.study,
       r.namespace,
       r.region AS reference_region,
       r.notes AS reference_notes,
       coalesce(na.resolved, r.namespace) AS hubtrends_namespace,
       coalesce(o.country, 'unknown') AS hubtrends_origin,
       reference_region_of(coalesce(o.country, 'unknown')) AS hubtrends_region
FROM reference_regions r
LEFT JOIN namespace_aliases na ON na.namespace = r.namespace
LEFT JOIN registry_orgs o ON o.org = coalesce(na.resolved, r.namespace)
WHERE r.region <> reference_region_of(coalesce(o.country, 'unknown'))
ORDER BY r.study, r.namespace;
