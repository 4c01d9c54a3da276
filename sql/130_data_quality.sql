-- What each number rests on: per period, the models and downloads under each rule of
-- DESIGN §6; per snapshot, the objects skipped as invalid (by reason) and duplicates dropped.
CREATE OR REPLACE TABLE data_quality AS
SELECT f.period_end AS snapshot, f.period_start, 'period' AS kind, q.flag AS item, q.models, q.downloads
FROM period_flags q
JOIN period_files f ON f.file = q.file
UNION ALL
SELECT s.snapshot, s.prev_snapshot, 'skipped', 'skipped:' || k.key, k.value::BIGINT, NULL
FROM snapshots s,
     LATERAL (SELECT unnest(json_keys(s.skipped)) AS key) kk,
     LATERAL (SELECT kk.key AS key, json_extract(s.skipped, '$."' || kk.key || '"') AS value) k
UNION ALL
SELECT s.period_end, s.period_start, 'series',
       CASE WHEN m.period_end IS NULL THEN 'imported_overlapping_collected' ELSE 'imported' END,
       count(*), sum(s.downloads)
FROM series_downloads s
LEFT JOIN measured_periods m
    ON m.period_start = s.period_start AND m.period_end = s.period_end AND m.source = 'imported'
GROUP BY ALL
UNION ALL
SELECT snapshot, prev_snapshot, 'snapshot', 'duplicates_dropped', duplicates_dropped, NULL
FROM snapshots
ORDER BY snapshot, kind, item;
