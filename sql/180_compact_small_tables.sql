-- The small kept tables, rewritten whole. An incremental build does not let DuckDB merge row
-- groups when it checkpoints (build.ts): merging rewrote about 450,000 rows of the large tables
-- every week. A week's rows then stay a row group of their own, which suits the large tables
-- (26,000 to 131,000 rows a week, one window or snapshot each, so a query of one date skips the
-- others), but made each of these, a few hundred or thousand rows a week, take one more 256 KiB
-- block a week: 95 MB more in a year of weekly builds at Hub scale. Rewriting them costs a few
-- milliseconds and keeps each in one row group. Order is kept (insertion order is preserved).
CREATE OR REPLACE TABLE periods AS FROM periods;
CREATE OR REPLACE TABLE period_files AS FROM period_files;
CREATE OR REPLACE TABLE period_flags AS FROM period_flags;
CREATE OR REPLACE TABLE model_family AS FROM model_family;
CREATE OR REPLACE TABLE attribution_classes AS FROM attribution_classes;
CREATE OR REPLACE TABLE attribution_terms AS FROM attribution_terms;
CREATE OR REPLACE TABLE origin_shares AS FROM origin_shares;
CREATE OR REPLACE TABLE family_shares AS FROM family_shares;
CREATE OR REPLACE TABLE concentration AS FROM concentration;
CREATE OR REPLACE TABLE unattributed_breakdown AS FROM unattributed_breakdown;
CREATE OR REPLACE TABLE scope_snapshot_done AS FROM scope_snapshot_done;
CREATE OR REPLACE TABLE scope_period_done AS FROM scope_period_done;
