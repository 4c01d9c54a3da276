-- Downloads of each model in each period (DESIGN §6), flagged by the rule that made them.
-- Rows of stale periods are dropped here; 071 computes the periods to do, one at a time.
-- Models whose counter did not move are not stored: they add nothing to any sum.
CREATE TABLE IF NOT EXISTS period_downloads (
    period_start DATE,
    period_end DATE,
    model_id VARCHAR,
    downloads BIGINT,
    flag VARCHAR
);

DELETE FROM period_downloads d
WHERE EXISTS (SELECT 1 FROM stale_periods s WHERE s.period_start = d.period_start AND s.period_end = d.period_end);
