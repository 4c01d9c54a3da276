-- Every metric of DESIGN §6 for every subject, key and window, with its share of ALL downloads
-- of the same window (the uploader-mode origin total, unknown included):
--   period      one period (window_start, window_end]
--   trailing    the periods of the last 52 weeks (364 days) up to window_end; window_start
--               shows where the data starts when the history is shorter
--   cumulative  every period since the first snapshot
--   all_time    Σ downloads_all_time at the snapshot (window_start NULL)
--   window30    Σ downloads_30d at the snapshot (window_start = window_end - 30 days)
-- Namespaces' trailing and cumulative sums come from running totals over a namespace × period
-- grid (a range join would grow with history squared); only namespaces with downloads in the
-- window get a row.
CREATE OR REPLACE TABLE window_measures AS
WITH p AS (SELECT * FROM period_measures),
first_start AS (SELECT min(period_start) AS s FROM measured_periods),
trailing_windows AS (
    SELECT e.period_end AS window_end, min(pr.period_start) AS window_start
    FROM measured_periods e
    JOIN measured_periods pr ON pr.period_end <= e.period_end AND pr.period_start >= e.period_end - 364
    GROUP BY ALL
),
ns_grid AS (
    SELECT n.key, e.period_end, coalesce(p.downloads, 0) AS downloads
    FROM (SELECT DISTINCT key FROM p WHERE subject = 'namespace') n
    CROSS JOIN measured_periods e
    LEFT JOIN p ON p.subject = 'namespace' AND p.key = n.key AND p.period_end = e.period_end
),
ns_running AS (
    SELECT key, period_end, sum(downloads) OVER (PARTITION BY key ORDER BY period_end) AS cum
    FROM ns_grid
),
measured AS (
    SELECT subject, mode, key, 'period' AS metric, period_start AS window_start, period_end AS window_end, downloads
    FROM p
    UNION ALL
    SELECT p.subject, p.mode, p.key, 'trailing', tw.window_start, tw.window_end, sum(p.downloads)
    FROM trailing_windows tw
    JOIN p ON p.period_end <= tw.window_end AND p.period_start >= tw.window_start
    WHERE p.subject <> 'namespace'
    GROUP BY ALL
    UNION ALL
    SELECT p.subject, p.mode, p.key, 'cumulative', (SELECT s FROM first_start), e.period_end, sum(p.downloads)
    FROM measured_periods e
    JOIN p ON p.period_end <= e.period_end
    WHERE p.subject <> 'namespace'
    GROUP BY ALL
    UNION ALL
    SELECT 'namespace', 'uploader', key, 'cumulative', (SELECT s FROM first_start), period_end, cum
    FROM ns_running
    WHERE cum > 0
    UNION ALL
    SELECT 'namespace', 'uploader', r.key, 'trailing', tw.window_start, tw.window_end, r.cum - coalesce(b.cum, 0)
    FROM trailing_windows tw
    JOIN ns_running r ON r.period_end = tw.window_end
    LEFT JOIN ns_running b ON b.key = r.key AND b.period_end = tw.window_start
    WHERE r.cum - coalesce(b.cum, 0) > 0
    UNION ALL
    SELECT subject, mode, key, 'all_time', NULL::DATE, snapshot, all_time
    FROM snapshot_measures
    WHERE all_time IS NOT NULL
    UNION ALL
    SELECT subject, mode, key, 'window30', (snapshot - 30)::DATE, snapshot, window30
    FROM snapshot_measures
    WHERE window30 IS NOT NULL
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
