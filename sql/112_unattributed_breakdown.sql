-- Each window's unknown downloads (the 'unknown' row of origin_shares) split by what kind of
-- namespace they come from, in both modes: 'individual' (a Hub user, or a registry row of kind
-- individual without a country), 'unmapped_org' (a Hub organisation, or a registry row without a
-- country) and 'not_looked_up' (nothing known: under the lookup threshold, unanswered, unknown to
-- the Hub, or a legacy id without a namespace). Uploader mode splits by the uploader namespace,
-- lineage mode by the namespace of each unknown root (with the root's weight). Three rows per
-- window, zeros included; they sum to the window's unknown row. share is of all downloads of the
-- window, like origin_shares.share. A namespace's kind is the newest lookup of a snapshot up to the
-- window's end, so a window's split never changes with snapshots collected after it.
CREATE OR REPLACE TABLE unattributed_breakdown AS
WITH unknown_keys AS (
    SELECT w.metric, w.mode, w.window_end, w.key AS namespace, w.downloads
    FROM window_measures w
    LEFT JOIN registry_orgs r ON r.org = w.key
    WHERE w.subject = 'namespace' AND coalesce(r.country, 'unknown') = 'unknown'
    UNION ALL
    SELECT metric, mode, window_end, key, downloads
    FROM window_measures
    WHERE subject = 'unknown_root'
),
classified AS (
    SELECT u.metric, u.mode, u.window_end, u.downloads,
        CASE
            WHEN r.kind = 'individual' THEN 'individual'
            WHEN r.org IS NOT NULL THEN 'unmapped_org'
            WHEN h.kind = 'user' THEN 'individual'
            WHEN h.kind = 'org' THEN 'unmapped_org'
            ELSE 'not_looked_up'
        END AS kind
    FROM unknown_keys u
    LEFT JOIN registry_orgs r ON r.org = u.namespace
    ASOF LEFT JOIN hub_namespace_lookups h ON h.namespace = u.namespace AND h.snapshot <= u.window_end
),
by_kind AS (
    SELECT metric, mode, window_end, kind, sum(downloads) AS downloads
    FROM classified
    GROUP BY ALL
),
windows AS (
    SELECT DISTINCT metric, mode, window_start, window_end FROM origin_shares
),
totals AS (
    SELECT metric, window_end, sum(downloads) AS total
    FROM origin_shares
    WHERE mode = 'uploader'
    GROUP BY ALL
)
SELECT w.metric, w.mode, w.window_start, w.window_end, k.kind,
       coalesce(b.downloads, 0) AS downloads,
       coalesce(b.downloads, 0) / nullif(t.total, 0) AS share
FROM windows w
CROSS JOIN (VALUES ('individual'), ('unmapped_org'), ('not_looked_up')) k(kind)
JOIN totals t ON t.metric = w.metric AND t.window_end = w.window_end
LEFT JOIN by_kind b ON b.metric = w.metric AND b.mode = w.mode AND b.window_end = w.window_end AND b.kind = k.kind
ORDER BY w.metric, w.mode, w.window_end, k.kind;
