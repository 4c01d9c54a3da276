-- The 20 uploader namespaces with the most downloads over the trailing window at the report
-- date, with origin, kind, and their all-time downloads at that date.
WITH w AS (
    SELECT window_start FROM origin_shares
    WHERE metric = 'trailing' AND window_end = getvariable('as_of')::DATE LIMIT 1
),
ns_trailing AS (
    SELECT key AS namespace, sum(downloads) AS downloads
    FROM period_measures
    WHERE subject = 'namespace' AND period_end <= getvariable('as_of')::DATE
      AND period_start >= (SELECT window_start FROM w)
    GROUP BY ALL
),
total AS (
    SELECT sum(downloads) AS total FROM origin_shares
    WHERE metric = 'trailing' AND mode = 'uploader' AND window_end = getvariable('as_of')::DATE
),
all_time AS (
    SELECT key AS namespace, downloads FROM window_measures
    WHERE subject = 'namespace' AND metric = 'all_time' AND window_end = getvariable('as_of')::DATE
)
SELECT
    row_number() OVER (ORDER BY t.downloads DESC, t.namespace) AS rank,
    t.namespace,
    coalesce(o.country, 'unknown') AS origin,
    coalesce(o.kind, '') AS kind,
    t.downloads,
    t.downloads / nullif((SELECT total FROM total), 0) AS share,
    a.downloads AS downloads_all_time
FROM ns_trailing t
LEFT JOIN registry_orgs o ON o.org = t.namespace
LEFT JOIN all_time a ON a.namespace = t.namespace
ORDER BY rank
LIMIT 20;
