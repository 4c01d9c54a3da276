-- Changes of leader up to the report date.
SELECT pair, metric, mode, leader, overtaken, crossed_at, last_behind_at, first_share, second_share
FROM crossovers
WHERE crossed_at <= getvariable('as_of')::DATE
ORDER BY pair, metric, mode, crossed_at;
