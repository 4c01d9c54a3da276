-- The curated registry (validated by build before this runs): namespace → country and kind.
CREATE OR REPLACE TABLE registry_orgs AS
SELECT org, country, kind, source
FROM read_csv({{registry_orgs}}, header = true, all_varchar = true, quote = '"', escape = '"');
