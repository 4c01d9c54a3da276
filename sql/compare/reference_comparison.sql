-- `hubtrends compare`: every published figure next to hubtrends' own (see 165_reference_comparison.sql).
SELECT * FROM reference_comparison ORDER BY study, figure
