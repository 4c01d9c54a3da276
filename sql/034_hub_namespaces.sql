-- What the Hub said about namespaces without a registry row (organisation or user, display
-- name), as collect looked them up: every row of every snapshot's optional namespaces.parquet,
-- with the snapshot it belongs to, read one file at a time by 035 (a lake without any has none).
-- Figures as of a date use the newest lookup of a snapshot up to that date, so a report depends
-- only on the snapshots up to its date; 036 keeps the newest of all for analysts.
CREATE OR REPLACE TABLE hub_namespace_lookups (
    namespace VARCHAR,
    kind VARCHAR,
    display_name VARCHAR,
    looked_up_at TIMESTAMP,
    snapshot DATE
);
