-- Registry coverage by window, both modes.
SELECT metric, measure_name(metric) AS measure, mode, window_start, window_end, coverage, unknown_downloads, downloads
FROM registry_coverage
WHERE window_end <= getvariable('as_of')::DATE
ORDER BY metric, mode DESC, window_end;
