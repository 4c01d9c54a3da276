-- "Against published figures": each published figure (registry/references.csv) that has a
-- hubtrends window within the tolerance, as of the report date, with the difference and what may
-- explain it (see reference_comparison). No row when no figure matches: the section is then left out.
SELECT study, figure, metric, mode, scope, origin,
       reference_window_start, reference_window_end, window_start, window_end,
       start_days_apart, end_days_apart, unit, reference_value, hubtrends_value, difference,
       unattributed_share, registry_difference_share, registry_difference_namespaces, quality_flags,
       source_section, source_url, confirmed_at, accessed
FROM reference_comparison
WHERE status = 'compared' AND window_end <= getvariable('as_of')::DATE
ORDER BY study, figure;
