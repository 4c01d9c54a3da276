-- Each model's attribution as two classes: its uploader class (namespace and origin) and its
-- lineage class (lineage origins, the namespaces of its unknown roots, its families, with their
-- weights). 081 and 083 join their rows with one table of 2.2 million ids (attribution_state)
-- instead of three (model_origin, model_lineage, model_family), sum them per uploader class and
-- per lineage class (two grouping sets of a few tens of thousands of keys each, where one class
-- per combination made 667,000 at Hub scale), and count each class's sums under its terms
-- (attribution_terms): each join of a snapshot's rows with a per-model table is a pass over 2.2
-- million string ids.
-- period_measures and snapshot_measures computed by earlier builds stay valid while no model
-- already measured changed class (a new root of the same country and family changes nothing);
-- when one did (a registry edit, a base that moved), they are recomputed. Only the models of
-- model_redo are classed again, unless every model is (047, 049). Class ids are given in the
-- order classes first appear, so they depend on the builds that made them: compare classes by
-- their attribution.
CREATE TABLE IF NOT EXISTS attribution_classes (class_id INTEGER, attribution VARCHAR);
CREATE TABLE IF NOT EXISTS attribution_terms (class_id INTEGER, subject VARCHAR, mode VARCHAR, key VARCHAR, weight DOUBLE);
CREATE TABLE IF NOT EXISTS attribution_state (model_id VARCHAR, uploader_class INTEGER, lineage_class INTEGER);

-- Lineage and families per model, a term per row (weights are not summed: a sum of three or
-- more depends on its order in the last bit, and would make two classes of one attribution).
-- Most models have one lineage root and at most one family: those are read with min() in one
-- aggregate; the others (merges) as sorted lists. A list per model of all 2.2 million
-- does not fit in the memory budget (its aggregate cannot spill). Every model of model_lineage
-- and model_family is one of model_origin (060 and 075 walk the catalog's models, 050 names
-- them all).
CREATE OR REPLACE TEMP TABLE attribution_now AS
WITH o AS (
    SELECT model_id, namespace, origin FROM model_origin
    WHERE getvariable('model_everything') OR model_id IN (SELECT model_id FROM model_redo)
),
l AS (
    SELECT model_id, root_origin AS origin,
           CASE WHEN root_origin = 'unknown' THEN coalesce(root_namespace, '(none)') END AS namespace,
           weight
    FROM model_lineage
    WHERE getvariable('model_everything') OR model_id IN (SELECT model_id FROM model_redo)
),
lin AS (
    SELECT model_id, count(*) AS n, min(origin) AS origin, min(namespace) AS namespace, min(weight) AS weight
    FROM l
    GROUP BY model_id
),
lin_many AS (
    SELECT model_id, list({'origin': origin, 'namespace': namespace, 'weight': weight} ORDER BY origin, namespace, weight) AS roots
    FROM l
    WHERE model_id IN (SELECT model_id FROM lin WHERE n > 1)
    GROUP BY model_id
),
f AS (
    SELECT model_id, family, weight, is_original
    FROM model_family
    WHERE getvariable('model_everything') OR model_id IN (SELECT model_id FROM model_redo)
),
fam AS (
    SELECT model_id, count(*) AS n, min(family) AS family, min(weight) AS weight, bool_or(is_original) AS is_original
    FROM f
    GROUP BY model_id
),
fam_many AS (
    SELECT model_id, list({'family': family, 'weight': weight, 'is_original': is_original} ORDER BY family, weight, is_original) AS families
    FROM f
    WHERE model_id IN (SELECT model_id FROM fam WHERE n > 1)
    GROUP BY model_id
)
SELECT o.model_id,
       {'namespace': o.namespace, 'origin': o.origin} AS uploader,
       CASE WHEN lin.model_id IS NOT NULL OR fam.model_id IS NOT NULL THEN {
           'roots': CASE WHEN lin.n = 1 THEN [{'origin': lin.origin, 'namespace': lin.namespace, 'weight': lin.weight}] ELSE coalesce(lm.roots, []) END,
           'families': CASE WHEN fam.n = 1 THEN [{'family': fam.family, 'weight': fam.weight, 'is_original': fam.is_original}] ELSE coalesce(fm.families, []) END
       } END AS lineage
FROM o
LEFT JOIN lin ON lin.model_id = o.model_id
LEFT JOIN lin_many lm ON lm.model_id = o.model_id
LEFT JOIN fam ON fam.model_id = o.model_id
LEFT JOIN fam_many fm ON fm.model_id = o.model_id;

-- Each part as JSON is its class's key: one string, which a hash table can spill. The two
-- parts' JSON objects have different fields, so their keys never meet.
CREATE OR REPLACE TEMP TABLE attribution_keyed AS
SELECT model_id, uploader, to_json(uploader)::VARCHAR AS uploader_key, lineage, to_json(lineage)::VARCHAR AS lineage_key
FROM attribution_now;

CREATE OR REPLACE TEMP TABLE attribution_new_classes AS
SELECT (SELECT coalesce(max(class_id), 0) FROM attribution_classes) + row_number() OVER (ORDER BY key) AS class_id, key
FROM (
    SELECT uploader_key AS key FROM attribution_keyed WHERE uploader_key IS NOT NULL
    UNION
    SELECT lineage_key FROM attribution_keyed WHERE lineage_key IS NOT NULL
) n
ANTI JOIN attribution_classes c ON c.attribution = n.key;

INSERT INTO attribution_classes SELECT class_id, key FROM attribution_new_classes;

INSERT INTO attribution_terms
WITH u AS (
    SELECT c.class_id, any_value(k.uploader) AS a
    FROM attribution_new_classes c JOIN attribution_keyed k ON k.uploader_key = c.key
    GROUP BY c.class_id
),
l AS (
    SELECT c.class_id, any_value(k.lineage) AS a
    FROM attribution_new_classes c JOIN attribution_keyed k ON k.lineage_key = c.key
    GROUP BY c.class_id
),
r AS (
    SELECT class_id, unnest(a.roots, recursive := true) FROM l
),
f AS (
    SELECT class_id, unnest(a.families, recursive := true) FROM l
)
SELECT class_id, 'namespace', 'uploader', coalesce(a.namespace, '(none)'), 1 FROM u
UNION ALL
SELECT class_id, 'origin', 'uploader', a.origin, 1 FROM u
UNION ALL
SELECT class_id, 'origin', 'lineage', origin, weight FROM r
UNION ALL
-- lineage downloads of roots without a country, by the root's namespace: the unknown bucket
-- of lineage mode, split by kind in unattributed_breakdown
SELECT class_id, 'unknown_root', 'lineage', namespace, weight FROM r WHERE origin = 'unknown'
UNION ALL
SELECT class_id, 'family', 'with_derivatives', family, weight FROM f
UNION ALL
SELECT class_id, 'family', 'originals', family, 1 FROM f WHERE is_original;

CREATE OR REPLACE TEMP TABLE attribution_now_class AS
SELECT k.model_id, u.class_id AS uploader_class, l.class_id AS lineage_class
FROM attribution_keyed k
LEFT JOIN attribution_classes u ON u.attribution = k.uploader_key
LEFT JOIN attribution_classes l ON l.attribution = k.lineage_key;

CREATE OR REPLACE TEMP TABLE attribution_changed AS
SELECT count(*) > 0 AS changed
FROM attribution_state s
JOIN attribution_now_class n ON n.model_id = s.model_id
WHERE s.uploader_class IS DISTINCT FROM n.uploader_class OR s.lineage_class IS DISTINCT FROM n.lineage_class;

DELETE FROM attribution_state
WHERE getvariable('model_everything') OR model_id IN (SELECT model_id FROM model_redo);
INSERT INTO attribution_state SELECT model_id, uploader_class, lineage_class FROM attribution_now_class;

-- Classes no model has any more.
CREATE OR REPLACE TEMP TABLE attribution_unused AS
SELECT class_id FROM attribution_classes
ANTI JOIN (
    SELECT uploader_class AS class_id FROM attribution_state
    UNION
    SELECT lineage_class FROM attribution_state
) s USING (class_id);
DELETE FROM attribution_classes WHERE class_id IN (SELECT class_id FROM attribution_unused);
DELETE FROM attribution_terms WHERE class_id IN (SELECT class_id FROM attribution_unused);
