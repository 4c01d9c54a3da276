-- What to add to the registry next.
SELECT namespace, models, downloads_all_time, downloads_30d, top_models
FROM unmapped_namespaces
LIMIT 20;
