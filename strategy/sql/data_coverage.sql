-- What the data covers: dataset kind, date range, uploads and the latest load, for the "about this data" note.
SELECT (SELECT value FROM meta WHERE key = 'dataset') AS dataset,
       (SELECT value FROM meta WHERE key = 'data_as_of') AS data_as_of,
       (SELECT count(*) FROM activities WHERE replaced_by_upload IS NULL) AS activities,
       (SELECT count(DISTINCT partner_id) FROM activities WHERE replaced_by_upload IS NULL) AS partners,
       (SELECT min(start_date) FROM activities WHERE replaced_by_upload IS NULL) AS first_start,
       (SELECT max(start_date) FROM activities WHERE replaced_by_upload IS NULL) AS last_start,
       (SELECT count(*) FROM uploads WHERE status = 'loaded') AS uploads,
       (SELECT max(uploaded_at) FROM uploads WHERE status = 'loaded') AS last_upload
