-- The periods between consecutive snapshots, keyed by both snapshots' sha256 so that a period
-- whose inputs changed (a snapshot replaced, one inserted between two others) is recomputed and
-- every other period is kept from the last build.
CREATE TABLE IF NOT EXISTS periods (
    period_start DATE,
    period_end DATE,
    days INTEGER,
    start_complete BOOLEAN,
    start_sha256 VARCHAR,
    end_sha256 VARCHAR
);

CREATE OR REPLACE TEMP TABLE wanted_periods AS
SELECT prev_snapshot AS period_start, snapshot AS period_end, period_days AS days,
       prev_complete AS start_complete, prev_sha256 AS start_sha256, sha256 AS end_sha256
FROM snapshots
WHERE prev_snapshot IS NOT NULL;

-- A snapshot backfilled before the newest one can change which models were seen before (the
-- rule for models without created_at), so every later period is recomputed too.
CREATE OR REPLACE TEMP TABLE backfilled_from AS
SELECT min(n.snapshot) AS d
FROM new_snapshots n
WHERE n.snapshot < (SELECT max(snapshot) FROM build_state);

-- The period's Parquet file (070) must still be there: one deleted by hand is computed again.
CREATE TABLE IF NOT EXISTS period_files (period_start DATE, period_end DATE, file VARCHAR);

CREATE OR REPLACE TEMP TABLE stale_periods AS
(SELECT * FROM periods EXCEPT SELECT * FROM wanted_periods)
UNION
SELECT * FROM periods WHERE period_end > (SELECT d FROM backfilled_from)
UNION
SELECT p.* FROM periods p
WHERE NOT EXISTS (
    SELECT 1 FROM period_files f
    WHERE f.period_start = p.period_start AND f.period_end = p.period_end
      AND list_contains({{period_files}}, f.file)
);

CREATE OR REPLACE TEMP TABLE todo_periods AS
SELECT * FROM wanted_periods
EXCEPT
(SELECT * FROM periods EXCEPT SELECT * FROM stale_periods);

DELETE FROM periods p
WHERE EXISTS (SELECT 1 FROM stale_periods s WHERE s.period_start = p.period_start AND s.period_end = p.period_end);

INSERT INTO periods SELECT * FROM todo_periods;
