-- What the unattributed downloads are, for every measure at the report date, in both modes:
-- individual users, organisations the registry does not map yet, and namespaces never looked up.
-- The three shares add up to the Unknown share of the same window.
SELECT metric, measure_name(metric) AS measure, mode, window_start, window_end, kind, downloads, share
FROM unattributed_breakdown
WHERE window_end = getvariable('as_of')::DATE
ORDER BY list_position(['trailing', 'period', 'cumulative', 'all_time', 'window30'], metric), mode DESC,
    list_position(['unmapped_org', 'individual', 'not_looked_up'], kind);
