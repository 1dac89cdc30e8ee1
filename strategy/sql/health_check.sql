-- Health: a real read of the main tables (current activities, their aims and places, uploads, indicator values).
SELECT (SELECT count(*) FROM activities WHERE replaced_by_upload IS NULL) AS current_activities,
       (SELECT count(*) FROM activity_aims) AS aim_links,
       (SELECT count(*) FROM activity_places) AS place_links,
       (SELECT count(*) FROM uploads) AS uploads,
       (SELECT max(uploaded_at) FROM uploads) AS last_upload,
       (SELECT count(*) FROM indicator_values) AS indicator_values,
       (SELECT coalesce(max(version), 0) FROM schema_migrations) AS schema_version,
       -- activity keys are unique by construction, not by an index (migration 050): say so if that ever fails
       (SELECT count(*) - count(DISTINCT activity_key) FROM activities) AS duplicate_activity_keys
