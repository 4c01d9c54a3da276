-- The namespaces of one staged crawl that have no registry row, by their models' 30-day
-- downloads, most downloaded first: the candidates for a Hub lookup of their kind. Parameters:
-- getvariable('stage_glob') (the staged page files), getvariable('mapped') (namespaces the
-- registry attributes, aliases included) and getvariable('lookup_limit').
WITH by_namespace AS (
    SELECT namespace, sum(coalesce(downloads_30d, 0)) AS downloads_30d
    FROM (
        SELECT coalesce(author, CASE WHEN contains(model_id, '/') THEN split_part(model_id, '/', 1) END) AS namespace, downloads_30d
        FROM read_json(getvariable('stage_glob'), format = 'newline_delimited',
                       columns = {model_id: 'VARCHAR', author: 'VARCHAR', downloads_30d: 'BIGINT'})
    )
    WHERE namespace IS NOT NULL
    GROUP BY namespace
)
SELECT b.namespace, b.downloads_30d
FROM by_namespace b
ANTI JOIN (SELECT unnest(getvariable('mapped')::VARCHAR[]) AS namespace) m ON m.namespace = b.namespace
ORDER BY b.downloads_30d DESC, b.namespace
LIMIT getvariable('lookup_limit')::BIGINT;
