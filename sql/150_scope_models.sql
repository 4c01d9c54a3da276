-- The named scopes of registry/scopes/<name>.csv (validated by build): one row per scope and
-- listed model id, written in as one text of `scope<TAB>model_id` lines. The scope `hub`, every
-- model, needs no list: it is origin_shares. A temporary table: the files are the record, and
-- scope_members says which listed models the lake holds.
CREATE OR REPLACE TEMP TABLE scope_models AS
SELECT split_part(line, chr(9), 1) AS scope, split_part(line, chr(9), 2) AS model_id
FROM (SELECT unnest(string_split({{scope_rows}}, chr(10))) AS line)
WHERE line <> '';
