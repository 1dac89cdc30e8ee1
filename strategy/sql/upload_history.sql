-- Uploads newest first, with the partner's name: who, when, which file, how many rows, and the outcome.
-- One partner's: the partner's stored name key equals the bound key (strategy/names.py).
SELECT u.upload_id, u.kind, p.name AS partner, u.uploaded_by, u.uploaded_at, u.file_name, u.rows_read,
       u.rows_loaded, u.rows_rejected, u.status, u.encoding, u.delimiter, u.sha256
FROM uploads u
LEFT JOIN partners p USING (partner_id)
WHERE CAST($partner_key AS VARCHAR) IS NULL OR p.name_key = CAST($partner_key AS VARCHAR)
ORDER BY u.upload_id DESC
