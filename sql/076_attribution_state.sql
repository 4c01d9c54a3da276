-- Each model's attribution as one signature: its uploader namespace and origin, its lineage
-- origins and weights, its families. period_measures and snapshot_measures computed by earlier
-- builds stay valid while no model already measured changed signature (a new root of the same
-- country and family changes nothing); when one did (a registry edit, a base that moved), they
-- are recomputed. Only the signatures of model_redo are computed again, unless every model's is (047, 049).
CREATE TABLE IF NOT EXISTS attribution_state (model_id VARCHAR, sig UBIGINT);

CREATE OR REPLACE TEMP TABLE attribution_now AS
WITH lin AS (
    -- an unknown root counts with its namespace: its downloads are measured by namespace (081).
    -- The sum of the rows' hashes does not depend on their order, so nothing is sorted, and a
    -- root counted twice is not cancelled out as it would be by XOR.
    SELECT model_id, sum(hash(CASE WHEN root_origin = 'unknown' THEN 'unknown/' || coalesce(root_namespace, '') ELSE root_origin END, weight)) AS roots
    FROM model_lineage
    WHERE (SELECT everything FROM model_mode) OR model_id IN (SELECT model_id FROM model_redo)
    GROUP BY model_id
),
fam AS (
    SELECT model_id, sum(hash(family, weight, is_original)) AS families
    FROM model_family
    WHERE (SELECT everything FROM model_mode) OR model_id IN (SELECT model_id FROM model_redo)
    GROUP BY model_id
)
SELECT o.model_id, hash(o.namespace, o.origin, lin.roots, fam.families) AS sig
FROM model_origin o
LEFT JOIN lin ON lin.model_id = o.model_id
LEFT JOIN fam ON fam.model_id = o.model_id
WHERE (SELECT everything FROM model_mode) OR o.model_id IN (SELECT model_id FROM model_redo);

CREATE OR REPLACE TEMP TABLE attribution_changed AS
SELECT count(*) > 0 AS changed
FROM attribution_state s
JOIN attribution_now n ON n.model_id = s.model_id
WHERE s.sig <> n.sig;

DELETE FROM attribution_state
WHERE (SELECT everything FROM model_mode) OR model_id IN (SELECT model_id FROM model_redo);
INSERT INTO attribution_state SELECT model_id, sig FROM attribution_now;
