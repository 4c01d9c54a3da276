-- The rules behind the report date's period, and what each snapshot skipped.
SELECT snapshot, period_start, kind, item, models, downloads
FROM data_quality
WHERE snapshot <= getvariable('as_of')::DATE
ORDER BY snapshot, kind, item;
