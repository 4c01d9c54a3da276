-- foreach: SELECT strftime(min(window_end), '%Y-%m-%d') AS first_end, strftime(max(window_end), '%Y-%m-%d') AS last_end FROM (SELECT window_end, (row_number() OVER (ORDER BY window_end) - 1) // 8 AS batch FROM (SELECT DISTINCT window_end FROM window_measures WHERE subject = 'namespace' AND window_end >= (SELECT d FROM windows_from))) GROUP BY batch ORDER BY batch
-- The concentration of eight window ends' windows at a time, every metric (see
-- 090_concentration.sql). Each run scans window_measures, whose rows are not ordered by window
-- end: one end at a time, a full build of 365 daily ends took 81 s here at 44,000 models, eight
-- at a time 31 s. Eight ends of a Hub's namespaces stay well inside the memory budget.
INSERT INTO concentration
WITH ranked AS (
    SELECT metric, window_start, window_end, downloads, share,
           row_number() OVER (PARTITION BY metric, window_end ORDER BY downloads) AS i
    FROM window_measures
    WHERE subject = 'namespace' AND downloads > 0
      AND window_end BETWEEN getvariable('first_end')::DATE AND getvariable('last_end')::DATE
),
totals AS (
    SELECT metric, window_end, sum(downloads ORDER BY i) AS sum_all, count(*) AS n
    FROM ranked
    GROUP BY metric, window_end
)
SELECT
    r.metric,
    r.window_start,
    r.window_end,
    count(*) AS namespaces,
    sum(r.downloads ORDER BY r.i) AS downloads,
    sum(power(100 * r.downloads / t.sum_all, 2) ORDER BY r.i) AS hhi,
    2 * sum(r.i * r.downloads ORDER BY r.i) / (count(*) * any_value(t.sum_all)) - (count(*) + 1)::DOUBLE / count(*) AS gini,
    -- the ten largest are the last ten by rank; namespaces tied at the edge have equal shares, so
    -- whichever of them is counted, the sum is the same
    sum(r.share ORDER BY r.i) FILTER (WHERE r.i > t.n - 10) AS top10_share
FROM ranked r
JOIN totals t ON t.metric = r.metric AND t.window_end = r.window_end
GROUP BY r.metric, r.window_start, r.window_end;
