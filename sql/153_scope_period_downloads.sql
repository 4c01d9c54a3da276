-- The period downloads of each scope's members, copied out of the period files so that scope
-- figures (154) never scan every period of the whole Hub. Kept between builds: a period file is
-- read again only when it is new (070) or when the scopes' members changed (152);
-- scope_period_done records which files were read, and under which members.
CREATE TABLE IF NOT EXISTS scope_period_downloads (
    scope VARCHAR,
    period_start DATE,
    period_end DATE,
    model_id VARCHAR,
    downloads BIGINT
);

CREATE TABLE IF NOT EXISTS scope_period_done (file VARCHAR, members UBIGINT);

DELETE FROM scope_period_done d
WHERE d.members <> (SELECT sig FROM scope_members_sig)
   OR d.file NOT IN (SELECT file FROM period_files);

DELETE FROM scope_period_downloads s
WHERE NOT EXISTS (
    SELECT 1 FROM scope_period_done d JOIN period_files f ON f.file = d.file
    WHERE f.period_start = s.period_start AND f.period_end = s.period_end
);
