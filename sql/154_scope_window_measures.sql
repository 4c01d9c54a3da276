-- Every metric of DESIGN §6 for the models of each named scope, per origin (both modes) and
-- uploader namespace, with its share of ALL downloads of the scope's models in the same window
-- (the uploader-mode total of the scope, unknown included): a scope is its own denominator, as in
-- a study that counts only its tracked models. Windows are those of window_measures (085).
-- Period downloads are read from scope_period_downloads (153) and imported series for the scopes'
-- members only, so this stays small however large the Hub is.
-- Temporary: scope_shares publishes its origin rows; the namespace rows serve 165 only.
CREATE OR REPLACE TEMP TABLE scope_window_measures AS
WITH members AS (SELECT DISTINCT scope, model_id FROM scope_members),
pd AS (
    SELECT d.scope, d.period_start, d.period_end, d.model_id, d.downloads
    FROM scope_period_downloads d
    SEMI JOIN measured_periods mp ON mp.period_start = d.period_start AND mp.period_end = d.period_end AND mp.source = 'collected'
    UNION ALL
    SELECT m.scope, s.period_start, s.period_end, s.model_id, s.downloads
    FROM series_downloads s
    JOIN members m ON m.model_id = s.model_id
    SEMI JOIN measured_periods mp ON mp.period_start = s.period_start AND mp.period_end = s.period_end AND mp.source = 'imported'
),
p AS (
    SELECT scope, subject, mode, key, period_start, period_end, sum(downloads) AS downloads
    FROM (
        SELECT d.scope, 'namespace' AS subject, 'uploader' AS mode, coalesce(o.namespace, '(none)') AS key, d.period_start, d.period_end, d.downloads::DOUBLE AS downloads
        FROM pd d JOIN model_origin o ON o.model_id = d.model_id
        UNION ALL
        SELECT d.scope, 'origin', 'uploader', o.origin, d.period_start, d.period_end, d.downloads
        FROM pd d JOIN model_origin o ON o.model_id = d.model_id
        UNION ALL
        SELECT d.scope, 'origin', 'lineage', l.root_origin, d.period_start, d.period_end, d.downloads * l.weight
        FROM pd d JOIN model_lineage l ON l.model_id = d.model_id
        UNION ALL
        -- a zero for every scope, period and mode, so a period without downloads keeps its window
        SELECT s.scope, 'origin', m.mode, 'unknown', e.period_start, e.period_end, 0
        FROM (SELECT DISTINCT scope FROM scope_models) s
        CROSS JOIN measured_periods e
        CROSS JOIN (VALUES ('uploader'), ('lineage')) m(mode)
    )
    GROUP BY ALL
),
sm AS (
    SELECT scope, subject, mode, key, snapshot, sum(all_time) AS all_time, sum(window30) AS window30
    FROM scope_snapshot_measures
    GROUP BY ALL
),
first_start AS (SELECT min(period_start) AS s FROM measured_periods),
trailing_windows AS (
    SELECT e.period_end AS window_end, min(pr.period_start) AS window_start
    FROM measured_periods e
    JOIN measured_periods pr ON pr.period_end <= e.period_end AND pr.period_start >= e.period_end - 364
    GROUP BY ALL
),
measured AS (
    SELECT scope, subject, mode, key, 'period' AS metric, period_start AS window_start, period_end AS window_end, downloads
    FROM p
    UNION ALL
    SELECT p.scope, p.subject, p.mode, p.key, 'trailing', tw.window_start, tw.window_end, sum(p.downloads)
    FROM trailing_windows tw
    JOIN p ON p.period_end <= tw.window_end AND p.period_start >= tw.window_start
    GROUP BY ALL
    UNION ALL
    SELECT p.scope, p.subject, p.mode, p.key, 'cumulative', (SELECT s FROM first_start), e.period_end, sum(p.downloads)
    FROM measured_periods e
    JOIN p ON p.period_end <= e.period_end
    GROUP BY ALL
    UNION ALL
    SELECT scope, subject, mode, key, 'all_time', NULL::DATE, snapshot, all_time
    FROM sm
    WHERE all_time IS NOT NULL
    UNION ALL
    SELECT scope, subject, mode, key, 'window30', (snapshot - 30)::DATE, snapshot, window30
    FROM sm
    WHERE window30 IS NOT NULL
),
totals AS (
    SELECT scope, metric, window_end, sum(downloads) AS total
    FROM measured
    WHERE subject = 'origin' AND mode = 'uploader'
    GROUP BY ALL
)
SELECT m.scope, m.subject, m.mode, m.key, m.metric, m.window_start, m.window_end, m.downloads,
       m.downloads / nullif(t.total, 0) AS share,
       CASE WHEN m.metric = 'trailing' THEN m.window_end - m.window_start >= 364 END AS full_window
FROM measured m
JOIN totals t ON t.scope = m.scope AND t.metric = m.metric AND t.window_end = m.window_end;
