-- The namespace → region registries that studies publish (registry/reference_registries/<study>.csv,
-- ATOM's organization_regions.csv kept as published), written in as lists by build. A temporary
-- table: the files are the record, and reference_registry_differences holds what they show.
CREATE OR REPLACE TEMP TABLE reference_regions AS
SELECT unnest({{refreg_study}}) AS study,
       unnest({{refreg_namespace}}) AS namespace,
       unnest({{refreg_region}}) AS region,
       unnest({{refreg_notes}}) AS notes;
