-- What the per-model tables (model_origin, model_lineage, model_family, attribution_state) are
-- computed from besides the catalog: the registry and the imported series, as one hash kept
-- between builds. While it holds and the catalog was merged rather than refilled, only the
-- models of model_redo (049) are recomputed; otherwise every model is (model_everything).
CREATE TABLE IF NOT EXISTS model_inputs_state (fingerprint UBIGINT);

-- Everything else the per-model rows are computed from: an order-free sum of row hashes.
CREATE OR REPLACE TEMP TABLE model_inputs_now AS
SELECT hash(
    (SELECT coalesce(sum(hash(o)), 0) FROM registry_orgs o),
    (SELECT coalesce(sum(hash(a)), 0) FROM registry_aliases a),
    (SELECT coalesce(sum(hash(f)), 0) FROM registry_families f),
    (SELECT coalesce(sum(hash(series, sha256)), 0) FROM series_files)
) AS fingerprint;

-- A variable, not a table, because the per-model steps read it in their filters: DuckDB folds
-- it before planning, so a week with nothing to redo plans a join with the few redo ids, where
-- a subquery made every filter evaluate a join per row (0.14 s for attribution_now alone).
SET VARIABLE model_everything = EXISTS (SELECT 1 FROM catalog_bulk_merged)
    OR NOT EXISTS (SELECT 1 FROM model_inputs_state WHERE fingerprint = (SELECT fingerprint FROM model_inputs_now));

DELETE FROM model_inputs_state;
INSERT INTO model_inputs_state SELECT fingerprint FROM model_inputs_now;
