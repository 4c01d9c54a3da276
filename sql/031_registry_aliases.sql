-- Renamed namespaces (THUDM → zai-org) and legacy ids (gpt2 → openai-community/gpt2).
CREATE OR REPLACE TABLE registry_aliases AS
SELECT "from", "to"
FROM read_csv({{registry_aliases}}, header = true, all_varchar = true, quote = '"', escape = '"');
