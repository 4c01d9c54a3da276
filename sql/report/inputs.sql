-- The snapshots the report rests on.
SELECT snapshot, rows, sha256, complete, synthetic, sum_downloads_30d, sum_downloads_all_time
FROM snapshots
WHERE snapshot <= getvariable('as_of')::DATE
ORDER BY snapshot;
