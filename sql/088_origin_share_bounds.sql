-- origin_shares with the range each share could take once the unattributed downloads are
-- attributed (DESIGN §7): share_low is the share as measured; share_high adds the whole
-- 'unknown' share of the same metric, mode and window (all of it could belong to that origin);
-- share_of_attributed divides by the downloads with a known origin only. A share of China or the
-- US means little without these, so every headline quotes them. The 'unknown' row keeps its own
-- share as both bounds and has no share_of_attributed.
CREATE OR REPLACE TABLE origin_share_bounds AS
WITH windows AS (
    SELECT
        metric,
        mode,
        window_end,
        sum(downloads) AS downloads,
        coalesce(sum(downloads) FILTER (WHERE origin = 'unknown'), 0) AS unknown_downloads,
        coalesce(sum(share) FILTER (WHERE origin = 'unknown'), 0) AS unknown_share
    FROM origin_shares
    GROUP BY ALL
)
SELECT
    s.metric,
    s.mode,
    s.window_start,
    s.window_end,
    s.origin,
    s.downloads,
    s.share,
    s.share AS share_low,
    CASE WHEN s.origin = 'unknown' THEN s.share ELSE s.share + w.unknown_share END AS share_high,
    CASE WHEN s.origin = 'unknown' THEN NULL
         ELSE s.downloads / nullif(w.downloads - w.unknown_downloads, 0) END AS share_of_attributed
FROM origin_shares s
JOIN windows w ON w.metric = s.metric AND w.mode = s.mode AND w.window_end = s.window_end
ORDER BY s.metric, s.mode, s.window_end, s.origin;
