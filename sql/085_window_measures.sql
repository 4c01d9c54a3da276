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
-- 082) are recomputed; a new week adds its own windows and no others. Namespaces' trailing and
-- cumulative sums come from running totals, continued from the kept cumulative row of the last
-- window before the recomputed ones (a range join, or a grid over all of history, would grow with
-- history); only namespaces with downloads in the window get a row.
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

INSERT INTO window_measures
WITH p AS (SELECT * FROM period_measures),
since AS (SELECT d FROM windows_from),
first_start AS (SELECT min(period_start) AS s FROM measured_periods),
new_ends AS (SELECT period_end FROM measured_periods WHERE period_end >= (SELECT d FROM since)),
trailing_windows AS (
    SELECT e.period_end AS window_end, min(pr.period_start) AS window_start
    FROM new_ends e
    JOIN measured_periods pr ON pr.period_end <= e.period_end AND pr.period_start >= e.period_end - 364
    GROUP BY ALL
),
-- Each namespace's cumulative downloads before the recomputed windows, as kept.
ns_base AS (
    SELECT key, downloads AS cum
    FROM window_measures
    WHERE subject = 'namespace' AND metric = 'cumulative'
      AND window_end = (SELECT max(period_end) FROM measured_periods WHERE period_end < (SELECT d FROM since))
),
ns_grid AS (
    SELECT n.key, e.period_end, coalesce(p.downloads, 0) AS downloads
    FROM (
        SELECT key FROM p WHERE subject = 'namespace' AND period_end >= (SELECT d FROM since)
        UNION
        SELECT key FROM ns_base
    ) n
    CROSS JOIN measured_periods e
    LEFT JOIN p ON p.subject = 'namespace' AND p.key = n.key AND p.period_end = e.period_end
    WHERE e.period_end >= (SELECT d FROM since)
),
ns_new AS (
    SELECT g.key, g.period_end, coalesce(b.cum, 0) + sum(g.downloads) OVER (PARTITION BY g.key ORDER BY g.period_end) AS cum
    FROM ns_grid g
    LEFT JOIN ns_base b ON b.key = g.key
),
-- Running totals at every window end: kept ones before, new ones from the recomputed windows on.
ns_running AS (
    SELECT key, window_end AS period_end, downloads AS cum
    FROM window_measures
    WHERE subject = 'namespace' AND metric = 'cumulative' AND window_end < (SELECT d FROM since)
    UNION ALL
    SELECT key, period_end, cum FROM ns_new
),
measured AS (
    SELECT subject, mode, key, 'period' AS metric, period_start AS window_start, period_end AS window_end, downloads
    FROM p
    WHERE period_end >= (SELECT d FROM since)
    UNION ALL
    SELECT p.subject, p.mode, p.key, 'trailing', tw.window_start, tw.window_end, sum(p.downloads)
    FROM trailing_windows tw
    JOIN p ON p.period_end <= tw.window_end AND p.period_start >= tw.window_start
    WHERE p.subject <> 'namespace'
    GROUP BY ALL
    UNION ALL
    SELECT p.subject, p.mode, p.key, 'cumulative', (SELECT s FROM first_start), e.period_end, sum(p.downloads)
    FROM new_ends e
    JOIN p ON p.period_end <= e.period_end
    WHERE p.subject <> 'namespace'
    GROUP BY ALL
    UNION ALL
    SELECT 'namespace', 'uploader', key, 'cumulative', (SELECT s FROM first_start), period_end, cum
    FROM ns_new
    WHERE cum > 0
    UNION ALL
    SELECT 'namespace', 'uploader', r.key, 'trailing', tw.window_start, tw.window_end, r.cum - coalesce(b.cum, 0)
    FROM trailing_windows tw
    JOIN ns_new r ON r.period_end = tw.window_end
    LEFT JOIN ns_running b ON b.key = r.key AND b.period_end = tw.window_start
    WHERE r.cum - coalesce(b.cum, 0) > 0
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
