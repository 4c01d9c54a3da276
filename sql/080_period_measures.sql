-- Period downloads summed per subject and key, the one place period_downloads is scanned for
-- the metrics: origins under both attribution modes, families (originals alone, and with every
-- derivative weighted by lineage), and uploader namespaces. Kept between builds: only periods
-- without measures are summed (081); all are summed again when attribution changed (076).
CREATE TABLE IF NOT EXISTS period_measures (
    subject VARCHAR,
    mode VARCHAR,
    key VARCHAR,
    period_start DATE,
    period_end DATE,
    downloads DOUBLE
);

-- The periods whose measures go: 085 recomputes the windows from the earliest of them on.
CREATE OR REPLACE TEMP TABLE period_measures_dropped AS
SELECT DISTINCT period_start, period_end
FROM period_measures m
WHERE (SELECT changed FROM attribution_changed)
OR NOT EXISTS (
    SELECT 1 FROM measured_periods p
    WHERE p.period_start = m.period_start AND p.period_end = m.period_end
) OR EXISTS (
    SELECT 1 FROM todo_periods t
    WHERE t.period_start = m.period_start AND t.period_end = m.period_end
) OR EXISTS (
    SELECT 1 FROM series_changed_periods t
    WHERE t.period_start = m.period_start AND t.period_end = m.period_end
);

DELETE FROM period_measures m
WHERE EXISTS (
    SELECT 1 FROM period_measures_dropped d
    WHERE d.period_start = m.period_start AND d.period_end = m.period_end
);

CREATE OR REPLACE TEMP TABLE measure_periods AS
SELECT p.period_start, p.period_end, p.source
FROM measured_periods p
ANTI JOIN (SELECT DISTINCT period_start, period_end FROM period_measures) m
    ON m.period_start = p.period_start AND m.period_end = p.period_end;

-- The downloads 081 sums: the imported periods' rows here, and the collected periods' files
-- added by 080_period_measures_files.sql when there are any (a read_parquet of no file fails).
CREATE OR REPLACE TEMP VIEW measure_period_rows AS
SELECT s.period_start, s.period_end, s.model_id, s.downloads
FROM series_downloads s
SEMI JOIN measure_periods mp ON mp.period_start = s.period_start AND mp.period_end = s.period_end AND mp.source = 'imported';
