-- The curation queue at the newest snapshot (see 115_unmapped_namespaces_at.sql). Add the top
-- namespaces to registry/orgs.csv.
CREATE OR REPLACE TABLE unmapped_namespaces AS
FROM unmapped_namespaces_at((SELECT max(snapshot) FROM snapshots));
