-- The namespace a model id names before namespace aliases: the part before '/', or for a legacy
-- id without one (gpt2) the uploader. model_origin (050) and the curation queue (115) both
-- derive namespaces by it; apply it to the id after model-id aliases.
CREATE OR REPLACE MACRO id_namespace(resolved_id, author) AS
    CASE WHEN contains(resolved_id, '/') THEN split_part(resolved_id, '/', 1) ELSE author END;
