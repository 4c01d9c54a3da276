-- The downloads of the periods and the counters of the snapshots without measures (080, 081),
-- summed by uploader class and by lineage class: the rows of both, one join with
-- attribution_state, two grouping sets. At Hub scale the join builds a hash table of 2.2 million
-- string ids: once here for both, where the periods and the snapshots built one each (a week:
-- 1.0 s for the two joins, 0.73 s for this one). 083 counts each class's sums under its terms.
-- A period's downloads are summed as integers, as the period files hold them; the counters as
-- doubles, as they always were, so that the measures are the same to the last bit.
CREATE OR REPLACE TEMP TABLE measure_classes AS
WITH measured AS (
    SELECT period_start, period_end, NULL::DATE AS snapshot, model_id,
           downloads, NULL::DOUBLE AS all_time, NULL::DOUBLE AS window30
    FROM measure_period_rows
    UNION ALL
    SELECT NULL, NULL, snapshot, model_id,
           NULL, downloads_all_time::DOUBLE, downloads_30d::DOUBLE
    FROM measure_snapshot_rows
)
SELECT r.period_start, r.period_end, r.snapshot, s.uploader_class, s.lineage_class,
       sum(r.downloads)::DOUBLE AS downloads, sum(r.all_time) AS all_time, sum(r.window30) AS window30
FROM measured r
JOIN attribution_state s ON s.model_id = r.model_id
GROUP BY GROUPING SETS ((r.period_start, r.period_end, r.snapshot, s.uploader_class),
                        (r.period_start, r.period_end, r.snapshot, s.lineage_class));
