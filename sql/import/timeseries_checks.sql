-- The first row of the staged series (temp table ts_raw, all text) that cannot be read, if any:
-- file number, data row number and the reason. The import fails on it, naming file and line.
SELECT file_no, row_no, reason
FROM (
    SELECT file_no, row_no,
        CASE
            WHEN id IS NULL OR trim(id) = '' THEN 'no model id'
            WHEN try_cast(trim(period_start) AS DATE) IS NULL THEN 'period_start ' || coalesce('"' || period_start || '"', 'empty') || ' is not a date YYYY-MM-DD'
            WHEN try_cast(trim(period_end) AS DATE) IS NULL THEN 'period_end ' || coalesce('"' || period_end || '"', 'empty') || ' is not a date YYYY-MM-DD'
            WHEN try_cast(trim(period_end) AS DATE) <= try_cast(trim(period_start) AS DATE) THEN 'period_end is not after period_start'
            WHEN NOT regexp_full_match(replace(trim(coalesce(downloads, '')), ',', ''), '[0-9]+(\.0+)?') THEN 'downloads ' || coalesce('"' || downloads || '"', 'empty') || ' is not a non-negative whole number'
        END AS reason
    FROM ts_raw
)
WHERE reason IS NOT NULL
ORDER BY file_no, row_no
LIMIT 1;
