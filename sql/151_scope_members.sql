-- The models of the lake in each scope: a listed id matches a model's own id or its id after
-- legacy-id aliases (a list may name openai-community/gpt2 for the lake's gpt2).
-- Temporary: it serves this build only; scope_shares is what the scopes publish.
CREATE OR REPLACE TEMP TABLE scope_members AS
SELECT s.scope, o.model_id
FROM scope_models s
JOIN model_origin o ON o.model_id = s.model_id
UNION
SELECT s.scope, o.model_id
FROM scope_models s
JOIN model_origin o ON o.resolved_id = s.model_id;
