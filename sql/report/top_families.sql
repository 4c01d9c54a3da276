-- Families by trailing downloads with derivatives at the report date.
SELECT
    f.family,
    f.downloads,
    f.share,
    o.downloads AS originals_downloads,
    o.share AS originals_share
FROM family_shares f
LEFT JOIN family_shares o
    ON o.family = f.family AND o.metric = f.metric AND o.window_end = f.window_end AND o.scope = 'originals'
WHERE f.metric = 'trailing' AND f.scope = 'with_derivatives' AND f.window_end = getvariable('as_of')::DATE
ORDER BY f.downloads DESC, f.family
LIMIT 20;
