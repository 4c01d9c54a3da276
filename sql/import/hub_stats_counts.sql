-- Rows of the last hub-stats file read, kept (reason NULL) and skipped, by reason.
SELECT reason, count(*)::BIGINT AS n
FROM hub_stats_rows
GROUP BY reason
ORDER BY reason NULLS FIRST;
