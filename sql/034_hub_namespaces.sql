-- What the Hub said about namespaces without a registry row (organisation or user, display
-- name), as collect looked them up: every row of every snapshot's optional namespaces.parquet,
-- read one file at a time by 035 (a lake without any has none). 036 keeps the newest per namespace.
CREATE OR REPLACE TEMP TABLE hub_namespace_lookups (
    namespace VARCHAR,
    kind VARCHAR,
    display_name VARCHAR,
    looked_up_at TIMESTAMP,
    snapshot DATE
);
