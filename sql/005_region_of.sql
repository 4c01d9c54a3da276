-- Region rollup for charts and summaries (DESIGN §6): CN → China, US → United States,
-- EU/EEA countries + GB + CH → Europe, INTL → International/Online, other codes → Rest of world,
-- unknown → Unknown.
CREATE OR REPLACE MACRO region_of(origin) AS
    CASE
        WHEN origin = 'CN' THEN 'China'
        WHEN origin = 'US' THEN 'United States'
        WHEN origin IN ('AT', 'BE', 'BG', 'HR', 'CY', 'CZ', 'DK', 'EE', 'FI', 'FR', 'DE', 'GR', 'HU', 'IE',
                        'IT', 'LV', 'LT', 'LU', 'MT', 'NL', 'PL', 'PT', 'RO', 'SK', 'SI', 'ES', 'SE',
                        'IS', 'LI', 'NO', 'GB', 'CH') THEN 'Europe'
        WHEN origin = 'INTL' THEN 'International/Online'
        WHEN origin = 'unknown' OR origin IS NULL THEN 'Unknown'
        ELSE 'Rest of world'
    END;
