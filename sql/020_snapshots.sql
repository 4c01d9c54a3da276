-- One row per published snapshot, from its manifest.json, with the period it closes.
-- {{manifests}} holds the manifests as build checked and completed them (one JSON object a
-- line): a lake written by another tool may leave out what can be computed from the Parquet.
CREATE OR REPLACE TABLE snapshots AS
WITH m AS (
    SELECT *
    FROM read_json({{manifests}}, format = 'newline_delimited', columns = {
        snapshot: 'DATE', source: 'JSON', started_at: 'VARCHAR', finished_at: 'VARCHAR',
        rows: 'BIGINT', pages: 'BIGINT', sum_downloads_30d: 'BIGINT', sum_downloads_all_time: 'BIGINT',
        sha256: 'VARCHAR', version: 'VARCHAR', skipped: 'JSON', duplicates_dropped: 'BIGINT',
        min_downloads: 'BIGINT', sort: 'VARCHAR', synthetic: 'BOOLEAN', computed: 'VARCHAR[]'
    })
)
SELECT
    snapshot,
    lag(snapshot) OVER w AS prev_snapshot,
    (snapshot - lag(snapshot) OVER w)::INTEGER AS period_days,
    min_downloads IS NULL AS complete,
    min_downloads,
    rows,
    sum_downloads_30d,
    sum_downloads_all_time,
    sha256,
    lag(sha256) OVER w AS prev_sha256,
    lag(min_downloads IS NULL) OVER w AS prev_complete,
    coalesce(synthetic, false) AS synthetic,
    source,
    skipped,
    coalesce(duplicates_dropped, 0) AS duplicates_dropped,
    started_at::TIMESTAMPTZ::TIMESTAMP AS started_at,
    finished_at::TIMESTAMPTZ::TIMESTAMP AS finished_at,
    version,
    computed
FROM m
WINDOW w AS (ORDER BY snapshot)
ORDER BY snapshot;
