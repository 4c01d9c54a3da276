-- Qwen and Llama all-time downloads, derivatives included (lineage), at every snapshot up to the
-- report date: the "Qwen overtook Llama in cumulative downloads" measure, for the chart.
SELECT window_end, family, downloads, share
FROM family_shares
WHERE metric = 'all_time' AND scope = 'with_derivatives' AND family IN ('Qwen', 'Llama')
  AND window_end <= getvariable('as_of')::DATE
ORDER BY window_end, family;
