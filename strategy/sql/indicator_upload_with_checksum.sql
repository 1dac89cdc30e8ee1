-- A loaded indicator upload with these exact bytes, if any (the same file is never loaded twice).
SELECT upload_id, uploaded_at
FROM uploads
WHERE kind = 'indicators' AND sha256 = $sha256 AND status = 'loaded'
ORDER BY upload_id
LIMIT 1
