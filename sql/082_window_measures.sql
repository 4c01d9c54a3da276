-- Every metric of DESIGN §6 for every subject, key and window, with its share of ALL downloads
-- of the same window (the uploader-mode origin total, unknown included):
--   period      one period (window_start, window_end]
--   trailing    the periods of the last 52 weeks (364 days) up to window_end; window_start
--               shows where the data starts when the history is shorter
--   cumulative  every period since the first snapshot
--   all_time    Σ downloads_all_time at the snapshot (window_start NULL)
--   window30    Σ downloads_30d at the snapshot (window_start = window_end - 30 days)
-- Namespaces get period, all_time and window30 only: trailing and cumulative sums per namespace
-- grow with history squared and no published figure needs them.
CREATE OR REPLACE TABLE window_measures AS
WITH p AS (SELECT * FROM period_measures),
first_start AS (SELECT min(period_start) AS s FROM periods),
trailing_windows AS (
    SELECT e.period_end AS window_end, min(pr.period_start) AS window_start
    FROM periods e
    JOIN periods pr ON pr.period_end <= e.period_end AND pr.period_start >= e.period_end - 364
    GROUP BY ALL
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
    FROM periods e
    JOIN p ON p.period_end <= e.period_end
    WHERE p.subject <> 'namespace'
    GROUP BY ALL
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
       m.downloads / nullif(t.total, 0) AS share
FROM measured m
JOIN totals t ON t.metric = m.metric AND t.window_end = m.window_end;
