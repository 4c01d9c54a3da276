-- One row per model_id from the staged rows (view staged_models), the last one staged winning.
-- getvariable('dup_hashes') lists the id hashes seen more than once (found by streaming the hashes
-- out and sorting them, a few megabytes); only those candidates are compared as strings, so
-- the wide rows are never sorted or hashed and memory stays bounded at Hub scale.
CREATE OR REPLACE TEMP TABLE staged_dups AS
SELECT model_id, max(_s) AS keep_s
FROM staged_models
WHERE list_contains(getvariable('dup_hashes'), hash(model_id))
GROUP BY model_id
HAVING count(*) > 1;

CREATE OR REPLACE TEMP VIEW deduplicated_models AS
SELECT r.* EXCLUDE (_s)
FROM staged_models r
ANTI JOIN staged_dups d ON d.model_id = r.model_id AND d.keep_s <> r._s;
