-- Concentration over uploader namespaces by week.
SELECT metric, window_start, window_end, namespaces, hhi, gini
FROM concentration
WHERE window_end <= getvariable('as_of')::DATE
ORDER BY metric, window_end;
