-- Namespace aliases with chains followed to the end (A → B → C gives A → C); build has
-- already refused cycles.
CREATE OR REPLACE TABLE namespace_aliases AS
WITH RECURSIVE ns AS (
    SELECT "from", "to" FROM registry_aliases
    WHERE NOT contains("from", '/') AND NOT contains("to", '/')
),
chain(namespace, resolved, hops) AS (
    SELECT "from", "to", 1 FROM ns
    UNION ALL
    SELECT c.namespace, n."to", c.hops + 1
    FROM chain c JOIN ns n ON n."from" = c.resolved
    WHERE c.hops < 16
)
SELECT namespace, arg_max(resolved, hops) AS resolved
FROM chain
GROUP BY namespace;
