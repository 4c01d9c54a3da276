-- Every period the metrics sum over: the collected periods (between consecutive snapshots) and
-- the imported periods of download series that overlap none of them; where both exist the
-- collected data wins, and data_quality counts the imported rows left out.
CREATE OR REPLACE TABLE measured_periods AS
WITH imported AS (
    SELECT DISTINCT period_start, period_end FROM series_downloads
)
SELECT period_start, period_end, 'collected' AS source
FROM periods
UNION ALL
SELECT i.period_start, i.period_end, 'imported'
FROM imported i
WHERE NOT EXISTS (
    SELECT 1 FROM periods p
    WHERE p.period_start < i.period_end AND i.period_start < p.period_end
);
