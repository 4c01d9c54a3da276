-- Each published figure of reference_figures next to hubtrends' own figure of the same metric,
-- mode, scope and origin, at the closest window, with what may explain the difference.
--
-- The closest window: among scope_shares' windows of that metric, mode and scope, the one whose
-- start and end are fewest days outside the figure's stated bounds (a month allows any of its
-- days), the latest on a tie. A window more than 7 days outside either bound is not compared
-- (status outside_tolerance); with no window at all the status is no_window. The values are given
-- in the figure's unit (percent, share or downloads). What may explain the difference:
--   unattributed_share           the share of `unknown` in that window (same scope and mode);
--   registry_difference_share    the share of the window's downloads from uploader namespaces the
--                                study's published registry puts in another region
--                                (reference_registry_differences, namespaces hubtrends maps);
--                                NULL when the study publishes no registry;
--   quality_flags                the data_quality rules (other than continuing) of the periods
--                                and snapshots inside the window, and partial crawls.
CREATE OR REPLACE TABLE reference_comparison AS
WITH tolerance AS (SELECT 7 AS days),
windows AS (
    SELECT DISTINCT s.scope, s.metric, s.mode, s.window_start, s.window_end
    FROM scope_shares s
    SEMI JOIN reference_figures f ON f.scope = s.scope AND f.metric = s.metric AND f.mode = s.mode
),
candidates AS (
    SELECT f.study, f.figure, w.window_start, w.window_end,
           CASE WHEN f.start_from IS NOT NULL AND w.window_start IS NOT NULL
                THEN greatest(f.start_from - w.window_start, w.window_start - f.start_to, 0)::INTEGER END AS start_days_apart,
           greatest(f.end_from - w.window_end, w.window_end - f.end_to, 0)::INTEGER AS end_days_apart
    FROM reference_figures f
    JOIN windows w ON w.scope = f.scope AND w.metric = f.metric AND w.mode = f.mode
),
closest AS (
    SELECT *
    FROM candidates
    QUALIFY row_number() OVER (PARTITION BY study, figure ORDER BY coalesce(start_days_apart, 0) + end_days_apart, window_end DESC) = 1
),
matched AS (
    SELECT f.*, c.window_start AS hub_window_start, c.window_end AS hub_window_end,
           c.start_days_apart, c.end_days_apart,
           CASE WHEN c.window_end IS NULL THEN 'no_window'
                WHEN coalesce(c.start_days_apart, 0) > (SELECT days FROM tolerance)
                  OR c.end_days_apart > (SELECT days FROM tolerance) THEN 'outside_tolerance'
                ELSE 'compared' END AS status
    FROM reference_figures f
    LEFT JOIN closest c ON c.study = f.study AND c.figure = f.figure
),
window_total AS (
    SELECT scope, metric, window_end, sum(downloads) AS total
    FROM scope_shares
    WHERE mode = 'uploader'
    GROUP BY ALL
),
differing AS (
    SELECT DISTINCT study, hubtrends_namespace FROM reference_registry_differences WHERE hubtrends_origin <> 'unknown'
),
namespace_measures AS (
    SELECT 'hub' AS scope, metric, window_end, key AS namespace, downloads
    FROM window_measures
    WHERE subject = 'namespace' AND key IN (SELECT hubtrends_namespace FROM differing)
    UNION ALL
    SELECT scope, metric, window_end, key, downloads
    FROM scope_window_measures
    WHERE subject = 'namespace' AND key IN (SELECT hubtrends_namespace FROM differing)
),
registry_difference AS (
    SELECT m.study, m.figure,
           count(DISTINCT d.hubtrends_namespace) FILTER (WHERE n.downloads > 0) AS namespaces,
           coalesce(sum(n.downloads), 0) AS downloads
    FROM matched m
    JOIN differing d ON d.study = m.study
    LEFT JOIN namespace_measures n
        ON n.scope = m.scope AND n.metric = m.metric AND n.window_end = m.hub_window_end AND n.namespace = d.hubtrends_namespace
    WHERE m.status = 'compared'
    GROUP BY ALL
),
flags AS (
    SELECT m.study, m.figure,
           string_agg(q.item || ': ' || q.models || ' models' || coalesce(', ' || q.downloads || ' downloads', ''), '; ' ORDER BY q.item) AS quality_flags
    FROM matched m
    JOIN (
        SELECT snapshot, item, sum(models) AS models, sum(downloads) AS downloads
        FROM data_quality
        WHERE item <> 'continuing'
        GROUP BY ALL
        UNION ALL
        SELECT snapshot, 'partial_crawl', 1, NULL
        FROM snapshots
        WHERE NOT complete
    ) q ON q.snapshot <= m.hub_window_end
       AND (q.snapshot > m.hub_window_start OR (m.hub_window_start IS NULL AND q.snapshot = m.hub_window_end))
    WHERE m.status = 'compared'
    GROUP BY ALL
)
SELECT
    m.study,
    m.figure,
    m.metric,
    m.mode,
    m.scope,
    m.origin,
    m.status,
    m.window_start AS reference_window_start,
    m.window_end AS reference_window_end,
    m.hub_window_start AS window_start,
    m.hub_window_end AS window_end,
    m.start_days_apart,
    m.end_days_apart,
    (SELECT days FROM tolerance) AS tolerance_days,
    m.unit,
    m.value AS reference_value,
    CASE WHEN m.status = 'compared' THEN
        CASE m.unit
            WHEN 'percent' THEN 100 * coalesce(s.share, CASE WHEN t.total > 0 THEN 0 END)
            WHEN 'share' THEN coalesce(s.share, CASE WHEN t.total > 0 THEN 0 END)
            ELSE coalesce(s.downloads, 0)
        END
    END AS hubtrends_value,
    hubtrends_value - m.value AS difference,
    CASE WHEN m.status = 'compared' THEN coalesce(u.share, CASE WHEN t.total > 0 THEN 0 END) END AS unattributed_share,
    CASE WHEN m.status = 'compared' AND EXISTS (SELECT 1 FROM reference_regions r WHERE r.study = m.study)
         THEN coalesce(rd.downloads, 0) / nullif(t.total, 0) END AS registry_difference_share,
    CASE WHEN m.status = 'compared' AND EXISTS (SELECT 1 FROM reference_regions r WHERE r.study = m.study)
         THEN coalesce(rd.namespaces, 0) END AS registry_difference_namespaces,
    CASE WHEN m.status = 'compared' THEN coalesce(fl.quality_flags, '') END AS quality_flags,
    CASE WHEN m.status = 'compared' THEN t.total END AS window_downloads,
    m.source_section,
    m.source_url,
    m.confirmed_at,
    m.accessed
FROM matched m
LEFT JOIN scope_shares s
    ON s.scope = m.scope AND s.metric = m.metric AND s.mode = m.mode AND s.window_end = m.hub_window_end AND s.origin = m.origin
LEFT JOIN scope_shares u
    ON u.scope = m.scope AND u.metric = m.metric AND u.mode = m.mode AND u.window_end = m.hub_window_end AND u.origin = 'unknown'
LEFT JOIN window_total t
    ON t.scope = m.scope AND t.metric = m.metric AND t.window_end = m.hub_window_end
LEFT JOIN registry_difference rd ON rd.study = m.study AND rd.figure = m.figure
LEFT JOIN flags fl ON fl.study = m.study AND fl.figure = m.figure
ORDER BY m.study, m.figure;
