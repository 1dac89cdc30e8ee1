-- Uploads newest first, with the partner's name: who, when, which file, how many rows, and the outcome.
SELECT u.upload_id, u.kind, p.name AS partner, u.uploaded_by, u.uploaded_at, u.file_name, u.rows_read,
       u.rows_loaded, u.rows_rejected, u.status, u.encoding, u.delimiter, u.sha256
FROM uploads u
LEFT JOIN partners p USING (partner_id)
WHERE CAST($partner AS VARCHAR) IS NULL OR lower(p.name) = lower(CAST($partner AS VARCHAR))
ORDER BY u.upload_id DESC
