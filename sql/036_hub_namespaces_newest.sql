-- hub_namespaces: the newest lookup of each namespace over all snapshots, so every window is
-- split by what is known now (a namespace looked up in March explains its January downloads too).
-- kind is 'org' or 'user' as the Hub's authorData.type says, or 'not_found' when neither overview
-- endpoint knew the name.
CREATE OR REPLACE TABLE hub_namespaces AS
SELECT namespace, kind, display_name, looked_up_at, snapshot
FROM hub_namespace_lookups
QUALIFY row_number() OVER (PARTITION BY namespace ORDER BY looked_up_at DESC, snapshot DESC) = 1
ORDER BY namespace;
