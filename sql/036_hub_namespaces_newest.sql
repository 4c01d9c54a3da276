-- hub_namespaces: the newest lookup of each namespace over all snapshots (see 034). kind is 'org'
-- or 'user' as the Hub's authorData.type says, or 'not_found' when neither overview endpoint knew
-- the name.
CREATE OR REPLACE TABLE hub_namespaces AS
SELECT namespace, kind, display_name, looked_up_at, snapshot
FROM hub_namespace_lookups
QUALIFY row_number() OVER (PARTITION BY namespace ORDER BY snapshot DESC, looked_up_at DESC) = 1
ORDER BY namespace;
