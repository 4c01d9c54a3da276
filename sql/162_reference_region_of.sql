-- An origin of hubtrends in the region buckets of the studies' registries (ATOM: us, china, eu,
-- other, unknown), through region_of: Europe → eu, Rest of world → other; International/Online and
-- Unknown → unknown, since ATOM files collectives with no single base as unknown.
CREATE OR REPLACE MACRO reference_region_of(origin) AS
    CASE region_of(origin)
        WHEN 'China' THEN 'china'
        WHEN 'United States' THEN 'us'
        WHEN 'Europe' THEN 'eu'
        WHEN 'Rest of world' THEN 'other'
        ELSE 'unknown'
    END;
