-- The named scopes of registry/scopes/<name>.csv (validated by build, written in as lists): one row
-- per scope and listed model id. The scope `hub`, every model, needs no list: it is origin_shares.
CREATE OR REPLACE TABLE scope_models AS
SELECT unnest({{scope_names}}) AS scope, unnest({{scope_model_ids}}) AS model_id;
