-- Qwen and Llama cumulative downloads (with derivatives) over time, for the chart.
SELECT window_end, family, downloads, share
FROM family_shares
WHERE metric = 'cumulative' AND scope = 'with_derivatives' AND family IN ('Qwen', 'Llama')
  AND window_end <= getvariable('as_of')::DATE
ORDER BY window_end, family;
