-- Each window's unknown downloads (the 'unknown' row of origin_shares) split by what kind of
-- namespace they come from, in both modes: 'individual' (a Hub user, or a registry row of kind
-- individual without a country), 'unmapped_org' (a Hub organisation, or a registry row without a
-- country) and 'not_looked_up' (nothing known: under the lookup threshold, unanswered, unknown to
-- the Hub, or a legacy id without a namespace). Uploader mode splits by the uploader namespace,
-- lineage mode by the namespace of each unknown root (with the root's weight). Three rows per
-- window, zeros included; they sum to the window's unknown row. share is of all downloads of the
-- window, like origin_shares.share. A namespace's kind is the newest lookup of a snapshot up to the
-- window's end, so a window's split never changes with snapshots collected after it.
-- Kept between builds like window_measures: only windows 085 recomputed are split again, and
-- those ending at or after the earliest snapshot whose lookups changed; all of them when the
-- registry's organisations changed. A lookup's span (from its snapshot to the namespace's next
-- lookup) is joined by equality on the namespace, which stays a hash join however long the
-- history: an ASOF join sorted every window row of every namespace.
CREATE TABLE IF NOT EXISTS unattributed_breakdown (
    metric VARCHAR,
    mode VARCHAR,
    window_start DATE,
    window_end DATE,
    kind VARCHAR,
    downloads DOUBLE,
    share DOUBLE
);

-- What the split read last time: one row per snapshot with lookups (their signature), and one
-- with snapshot NULL for the registry's organisations.
CREATE TABLE IF NOT EXISTS unattributed_inputs (snapshot DATE, sig UBIGINT);

CREATE OR REPLACE TEMP TABLE unattributed_inputs_now AS
SELECT snapshot, hash(list_sort(list(namespace || chr(9) || coalesce(kind, '') || chr(9) || coalesce(looked_up_at::VARCHAR, ''))))::UBIGINT AS sig
FROM hub_namespace_lookups
GROUP BY snapshot
UNION ALL
SELECT NULL, coalesce(hash(list_sort(list(org || chr(9) || coalesce(country, '') || chr(9) || coalesce(kind, '')))), 0)::UBIGINT
FROM registry_orgs;

CREATE OR REPLACE TEMP TABLE unattributed_from AS
WITH changed AS (
    (SELECT * FROM unattributed_inputs EXCEPT SELECT * FROM unattributed_inputs_now)
    UNION ALL
    (SELECT * FROM unattributed_inputs_now EXCEPT SELECT * FROM unattributed_inputs)
)
SELECT CASE
    WHEN NOT EXISTS (SELECT 1 FROM unattributed_breakdown) THEN DATE '0001-01-01'
    WHEN EXISTS (SELECT 1 FROM changed WHERE snapshot IS NULL) THEN DATE '0001-01-01'
    ELSE least((SELECT d FROM windows_from), (SELECT min(snapshot) FROM changed))
END AS d;

DELETE FROM unattributed_breakdown WHERE window_end >= (SELECT d FROM unattributed_from);

INSERT INTO unattributed_breakdown
WITH since AS (SELECT d FROM unattributed_from),
lookup_spans AS (
    SELECT namespace, kind, snapshot AS valid_from,
           lead(snapshot) OVER (PARTITION BY namespace ORDER BY snapshot) AS valid_to
    FROM (
        SELECT namespace, snapshot, arg_max(kind, looked_up_at) AS kind
        FROM hub_namespace_lookups
        GROUP BY ALL
    )
),
unknown_keys AS (
    SELECT w.metric, w.mode, w.window_end, w.key AS namespace, w.downloads
    FROM window_measures w
    LEFT JOIN registry_orgs r ON r.org = w.key
    WHERE w.subject = 'namespace' AND coalesce(r.country, 'unknown') = 'unknown'
      AND w.window_end >= (SELECT d FROM since)
    UNION ALL
    SELECT metric, mode, window_end, key, downloads
    FROM window_measures
    WHERE subject = 'unknown_root' AND window_end >= (SELECT d FROM since)
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
    LEFT JOIN lookup_spans h
        ON h.namespace = u.namespace AND h.valid_from <= u.window_end
       AND (h.valid_to IS NULL OR u.window_end < h.valid_to)
),
by_kind AS (
    SELECT metric, mode, window_end, kind, sum(downloads) AS downloads
    FROM classified
    GROUP BY ALL
),
windows AS (
    SELECT DISTINCT metric, mode, window_start, window_end
    FROM window_measures
    WHERE subject = 'origin' AND window_end >= (SELECT d FROM since)
),
totals AS (
    SELECT metric, window_end, sum(downloads) AS total
    FROM window_measures
    WHERE subject = 'origin' AND mode = 'uploader' AND window_end >= (SELECT d FROM since)
    GROUP BY ALL
)
SELECT w.metric, w.mode, w.window_start, w.window_end, k.kind,
       coalesce(b.downloads, 0) AS downloads,
       coalesce(b.downloads, 0) / nullif(t.total, 0) AS share
FROM windows w
CROSS JOIN (VALUES ('individual'), ('unmapped_org'), ('not_looked_up')) k(kind)
JOIN totals t ON t.metric = w.metric AND t.window_end = w.window_end
LEFT JOIN by_kind b ON b.metric = w.metric AND b.mode = w.mode AND b.window_end = w.window_end AND b.kind = k.kind;

DELETE FROM unattributed_inputs;
INSERT INTO unattributed_inputs SELECT * FROM unattributed_inputs_now;
