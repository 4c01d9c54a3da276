-- Concentration of downloads over uploader namespaces per window: HHI = Σ (100 · share)² on
-- 0–10,000, the Gini coefficient over namespaces with any downloads, and the share of all
-- downloads that went to the ten namespaces with the most. Kept between builds
-- like window_measures: only the windows 085 recomputed are computed again, eight window ends at
-- a time (090_concentration_fill.sql): an ordered aggregate holds its group's rows in memory, and
-- every window of a long history at once did not fit in 2 GiB.
-- Deterministic to the last bit: every floating-point sum runs in one fixed order (ascending
-- downloads), as an ordered aggregate, because a parallel sum adds in whatever order threads
-- finish and two builds of the same lake then differ in the last bits. The inputs, namespaces'
-- downloads, are whole numbers summed exactly, so nothing else can vary. Namespaces with equal
-- downloads add the same values in the same order whichever of them comes first, so ranking by
-- downloads alone is as deterministic as ranking by name too, and sorts half as much.
CREATE TABLE IF NOT EXISTS concentration (
    metric VARCHAR,
    window_start DATE,
    window_end DATE,
    namespaces BIGINT,
    downloads DOUBLE,
    hhi DOUBLE,
    gini DOUBLE,
    top10_share DOUBLE
);

DELETE FROM concentration WHERE window_end >= (SELECT d FROM windows_from);
