-- The published figures of registry/references.csv (validated by build, written in as lists).
-- Studies state windows by month ("the year to August 2025"), so a window bound is kept as written
-- and as the range of days it allows: a month allows each of its days, a day only itself.
-- Temporary: reference_comparison carries every figure with its source.
CREATE OR REPLACE TEMP TABLE reference_figures AS
WITH r AS (
    SELECT
        unnest({{ref_study}}) AS study,
        unnest({{ref_figure}}) AS figure,
        unnest({{ref_metric}}) AS metric,
        unnest({{ref_mode}}) AS mode,
        unnest({{ref_scope}}) AS scope,
        unnest({{ref_origin}}) AS origin,
        unnest({{ref_window_start}}) AS window_start,
        unnest({{ref_window_end}}) AS window_end,
        unnest({{ref_value}}) AS value,
        unnest({{ref_unit}}) AS unit,
        unnest({{ref_source_section}}) AS source_section,
        unnest({{ref_source_url}}) AS source_url,
        unnest({{ref_confirmed_at}}) AS confirmed_at,
        unnest({{ref_accessed}}) AS accessed
),
bounds AS (
    SELECT *,
        CASE WHEN window_start = '' THEN NULL
             WHEN length(window_start) = 7 THEN (window_start || '-01')::DATE
             ELSE window_start::DATE END AS start_from,
        CASE WHEN window_start = '' THEN NULL
             WHEN length(window_start) = 7 THEN last_day((window_start || '-01')::DATE)
             ELSE window_start::DATE END AS start_to,
        CASE WHEN length(window_end) = 7 THEN (window_end || '-01')::DATE ELSE window_end::DATE END AS end_from,
        CASE WHEN length(window_end) = 7 THEN last_day((window_end || '-01')::DATE) ELSE window_end::DATE END AS end_to
    FROM r
)
SELECT study, figure, metric, mode, scope, origin,
       nullif(window_start, '') AS window_start, window_end,
       start_from, start_to, end_from, end_to,
       value::DOUBLE AS value, unit, source_section, source_url,
       nullif(confirmed_at, '') AS confirmed_at, accessed::DATE AS accessed
FROM bounds
ORDER BY study, figure;
