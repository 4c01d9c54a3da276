-- Changes of leader up to the report date, each with the reader's name of its measure.
SELECT pair, metric, measure_name(metric) AS measure, mode, leader, overtaken, crossed_at, last_behind_at, first_share, second_share
FROM crossovers
WHERE crossed_at <= getvariable('as_of')::DATE
ORDER BY pair, list_position(['trailing', 'period', 'cumulative', 'all_time', 'window30'], metric), mode DESC, crossed_at;
