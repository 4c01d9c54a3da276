-- Every metric of DESIGN §6 for every subject, key and window, with its share of ALL downloads
-- of the same window (the uploader-mode origin total, unknown included):
--   period      one period (window_start, window_end]
--   trailing    the periods of the last 52 weeks (364 days) up to window_end; window_start
--               shows where the data starts when the history is shorter
--   cumulative  every period since the first snapshot
--   all_time    Σ downloads_all_time at the snapshot (window_start NULL)
--   window30    Σ downloads_30d at the snapshot (window_start = window_end - 30 days)
-- Kept between builds: a window depends only on periods and snapshots up to its end, so only
-- the windows ending at or after the earliest period or snapshot whose measures changed (080,
-- 082) are recomputed; a new week adds its own windows and no others.
-- Trailing and cumulative sums come from running totals per key (window_running), continued
-- from the kept totals at the last period end before the recomputed windows: a trailing window
-- is the total at its end minus the total at the last period end before its start. A range join
-- of windows against periods grows with the square of the history and does not spill; this
-- grows with keys × new windows and reads the kept totals at a handful of dates only.
-- A key gets a cumulative or trailing row when it has any period measure in the window (the
-- count n), namespaces only when they have downloads in it.
-- Rows are inserted unsorted: sorting every window row of a full build by its end peaked at
-- 3.3 GiB at Hub scale within a 2 GiB budget, and no reader needs the order.
CREATE TABLE IF NOT EXISTS window_measures (
    subject VARCHAR,
    mode VARCHAR,
    key VARCHAR,
    metric VARCHAR,
    window_start DATE,
    window_end DATE,
    downloads DOUBLE,
    share DOUBLE,
    full_window BOOLEAN
);

-- Running totals at every period end from a key's first period measure on: Σ downloads and the
-- number of period measures summed.
CREATE TABLE IF NOT EXISTS window_running (
    subject VARCHAR,
    mode VARCHAR,
    key VARCHAR,
    period_end DATE,
    cum DOUBLE,
    n BIGINT
);

-- NULL when nothing changed; the beginning of time for an empty table (a first or --full build).
CREATE OR REPLACE TEMP TABLE windows_from AS
SELECT CASE WHEN NOT EXISTS (SELECT 1 FROM window_measures) THEN DATE '0001-01-01'
       ELSE least(
           (SELECT min(period_end) FROM period_measures_dropped),
           (SELECT min(period_end) FROM measure_periods),
           (SELECT min(snapshot) FROM snapshot_measures_dropped),
           (SELECT min(snapshot) FROM measure_snapshots))
       END AS d;

DELETE FROM window_measures WHERE window_end >= (SELECT d FROM windows_from);
DELETE FROM window_running WHERE period_end >= (SELECT d FROM windows_from);

CREATE OR REPLACE TEMP TABLE window_ends AS
SELECT DISTINCT period_end FROM measured_periods WHERE period_end >= (SELECT d FROM windows_from);

-- Each new trailing window, and the last period end before it starts (NULL: nothing before).
CREATE OR REPLACE TEMP TABLE trailing_windows AS
WITH w AS (
    SELECT e.period_end AS window_end, min(pr.period_start) AS window_start
    FROM window_ends e
    JOIN measured_periods pr ON pr.period_end <= e.period_end AND pr.period_start >= e.period_end - 364
    GROUP BY ALL
)
SELECT w.window_end, w.window_start,
       (SELECT max(p.period_end) FROM measured_periods p WHERE p.period_end <= w.window_start) AS prior_end
FROM w;

CREATE OR REPLACE TEMP TABLE running_new AS
WITH base AS (
    SELECT subject, mode, key, cum, n
    FROM window_running
    WHERE period_end = (SELECT max(period_end) FROM window_running)
),
new_periods AS (
    SELECT subject, mode, key, period_end, sum(downloads) AS downloads, count(*) AS n
    FROM period_measures
    WHERE period_end >= (SELECT d FROM windows_from)
    GROUP BY ALL
),
grid AS (
    SELECT k.subject, k.mode, k.key, e.period_end, coalesce(p.downloads, 0) AS downloads, coalesce(p.n, 0) AS n
    FROM (
        SELECT subject, mode, key FROM base
        UNION
        SELECT subject, mode, key FROM new_periods
    ) k
    CROSS JOIN window_ends e
    LEFT JOIN new_periods p ON p.subject = k.subject AND p.mode = k.mode AND p.key = k.key AND p.period_end = e.period_end
),
running AS (
    SELECT g.subject, g.mode, g.key, g.period_end,
           coalesce(b.cum, 0) + sum(g.downloads) OVER w AS cum,
           coalesce(b.n, 0) + sum(g.n) OVER w AS n
    FROM grid g
    LEFT JOIN base b ON b.subject = g.subject AND b.mode = g.mode AND b.key = g.key
    WINDOW w AS (PARTITION BY g.subject, g.mode, g.key ORDER BY g.period_end)
)
SELECT * FROM running WHERE n > 0;

INSERT INTO window_running SELECT * FROM running_new;

INSERT INTO window_measures
WITH since AS (SELECT d FROM windows_from),
first_start AS (SELECT min(period_start) AS s FROM measured_periods),
prior AS (
    SELECT subject, mode, key, period_end, cum, n
    FROM window_running
    WHERE period_end IN (SELECT prior_end FROM trailing_windows)
),
measured AS (
    SELECT subject, mode, key, 'period' AS metric, period_start AS window_start, period_end AS window_end, downloads
    FROM period_measures
    WHERE period_end >= (SELECT d FROM since)
    UNION ALL
    SELECT subject, mode, key, 'cumulative', (SELECT s FROM first_start), period_end, cum
    FROM running_new
    WHERE CASE WHEN subject = 'namespace' THEN cum > 0 ELSE true END
    UNION ALL
    SELECT r.subject, r.mode, r.key, 'trailing', tw.window_start, tw.window_end, r.cum - coalesce(b.cum, 0)
    FROM trailing_windows tw
    JOIN running_new r ON r.period_end = tw.window_end
    LEFT JOIN prior b ON b.subject = r.subject AND b.mode = r.mode AND b.key = r.key AND b.period_end = tw.prior_end
    WHERE CASE WHEN r.subject = 'namespace' THEN r.cum - coalesce(b.cum, 0) > 0 ELSE r.n - coalesce(b.n, 0) > 0 END
    UNION ALL
    SELECT subject, mode, key, 'all_time', NULL::DATE, snapshot, all_time
    FROM snapshot_measures
    WHERE all_time IS NOT NULL AND snapshot >= (SELECT d FROM since)
    UNION ALL
    SELECT subject, mode, key, 'window30', (snapshot - 30)::DATE, snapshot, window30
    FROM snapshot_measures
    WHERE window30 IS NOT NULL AND snapshot >= (SELECT d FROM since)
),
totals AS (
    SELECT metric, window_end, sum(downloads) AS total
    FROM measured
    WHERE subject = 'origin' AND mode = 'uploader'
    GROUP BY ALL
)
SELECT m.subject, m.mode, m.key, m.metric, m.window_start, m.window_end, m.downloads,
       m.downloads / nullif(t.total, 0) AS share,
       -- false for a trailing window while the history is shorter than 52 weeks
       CASE WHEN m.metric = 'trailing' THEN m.window_end - m.window_start >= 364 END AS full_window
FROM measured m
JOIN totals t ON t.metric = m.metric AND t.window_end = m.window_end;
