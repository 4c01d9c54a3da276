-- Model families: SQL LIKE patterns on lineage root ids.
CREATE OR REPLACE TABLE registry_families AS
SELECT family, pattern
FROM read_csv({{registry_families}}, header = true, all_varchar = true, quote = '"', escape = '"');
