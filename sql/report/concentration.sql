-- Concentration over uploader namespaces for every window up to the report date: HHI, Gini, and
-- the share of all downloads that went to the ten namespaces with the most downloads.
WITH ranked AS (
    SELECT metric, window_end, share,
           row_number() OVER (PARTITION BY metric, window_end ORDER BY downloads DESC, key) AS rank
    FROM window_measures
    WHERE subject = 'namespace' AND downloads > 0 AND window_end <= getvariable('as_of')::DATE
),
top10 AS (
    SELECT metric, window_end, sum(share) AS top10_share
    FROM ranked
    WHERE rank <= 10
    GROUP BY ALL
)
SELECT c.metric, measure_name(c.metric) AS measure, c.window_start, c.window_end, c.namespaces, c.hhi, c.gini, t.top10_share
FROM concentration c
LEFT JOIN top10 t ON t.metric = c.metric AND t.window_end = c.window_end
WHERE c.window_end <= getvariable('as_of')::DATE
ORDER BY c.metric, c.window_end;
