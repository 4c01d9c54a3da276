-- The one name readers see for each metric key of origin_shares, family_shares and
-- concentration, in every report table, CSV and chart. 'cumulative' and 'all_time' are both
-- "cumulative" in everyday speech, which is how readers mixed them up: neither name uses the word.
CREATE OR REPLACE MACRO measure_name(metric) AS
    CASE metric
        WHEN 'period' THEN 'downloads in the period'
        WHEN 'trailing' THEN 'downloads in the trailing year (52 weeks)'
        WHEN 'cumulative' THEN 'downloads since the first snapshot'
        WHEN 'all_time' THEN 'all-time downloads (the Hub''s counter since each model''s creation)'
        WHEN 'window30' THEN 'downloads in the last 30 days (the Hub''s 30-day counter)'
    END;
