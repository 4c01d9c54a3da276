-- Qwen and Llama at every snapshot up to the report date, on the two running measures a
-- crossover can be stated in: all-time downloads (the Hub's counter since each model's creation,
-- the "Qwen overtook Llama in cumulative downloads" figure) and downloads since the first
-- snapshot. Originals alone and with derivatives.
SELECT metric, measure_name(metric) AS measure, scope, window_end, family, downloads, share
FROM family_shares
WHERE metric IN ('all_time', 'cumulative') AND family IN ('Qwen', 'Llama')
  AND window_end <= getvariable('as_of')::DATE
ORDER BY metric, scope DESC, window_end, family;
