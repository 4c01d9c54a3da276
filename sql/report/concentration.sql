-- Concentration over uploader namespaces for every window up to the report date: HHI, Gini, and
-- the share of all downloads that went to the ten namespaces with the most downloads (all three
-- computed by build, 090).
SELECT metric, measure_name(metric) AS measure, window_start, window_end, namespaces, hhi, gini, top10_share
FROM concentration
WHERE window_end <= getvariable('as_of')::DATE
ORDER BY metric, window_end;
