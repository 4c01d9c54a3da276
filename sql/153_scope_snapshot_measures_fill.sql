-- Sum the counters of the snapshots to do (scope_todo, see 152_scope_snapshot_measures.sql) per
-- scope, in one pass over their Parquet: only the few models of the scopes are kept from it.
-- Every scope gets a zero `unknown` row in both modes, so a snapshot where none of its models
-- appears still has a window (with share NULL) rather than none.
INSERT INTO scope_snapshot_measures
WITH rows AS (
    SELECT m.scope, l.snapshot, l.model_id, l.downloads_all_time::DOUBLE AS a, l.downloads_30d::DOUBLE AS w
    FROM lake_models l
    JOIN scope_members m ON m.model_id = l.model_id
    WHERE l.snapshot IN (SELECT snapshot FROM scope_todo)
),
-- the members' rows of the model tables only: a join with a whole table hashed all of it
-- (0.7 s a week at Hub scale, for a few thousand members)
origin AS (
    SELECT o.model_id, o.namespace, o.origin
    FROM model_origin o SEMI JOIN scope_members m ON m.model_id = o.model_id
),
lineage AS (
    SELECT l.model_id, l.root_origin, l.weight
    FROM model_lineage l SEMI JOIN scope_members m ON m.model_id = l.model_id
),
by_namespace AS (
    SELECT r.scope, r.snapshot, o.namespace, o.origin, sum(r.a) AS all_time, sum(r.w) AS window30
    FROM rows r JOIN origin o ON o.model_id = r.model_id
    GROUP BY ALL
)
SELECT scope, 'namespace' AS subject, 'uploader' AS mode, coalesce(namespace, '(none)') AS key, snapshot, all_time, window30
FROM by_namespace
UNION ALL
SELECT scope, 'origin', 'uploader', origin, snapshot, sum(all_time), sum(window30)
FROM by_namespace
GROUP BY ALL
UNION ALL
SELECT r.scope, 'origin', 'lineage', l.root_origin, r.snapshot, sum(r.a * l.weight), sum(r.w * l.weight)
FROM rows r JOIN lineage l ON l.model_id = r.model_id
GROUP BY ALL
UNION ALL
SELECT s.scope, 'origin', m.mode, 'unknown', t.snapshot, 0, 0
FROM (SELECT DISTINCT scope FROM scope_models) s
CROSS JOIN scope_todo t
CROSS JOIN (VALUES ('uploader'), ('lineage')) m(mode);

INSERT INTO scope_snapshot_done
SELECT snapshot, sha256, (SELECT sig FROM scope_members_sig) FROM scope_todo;
