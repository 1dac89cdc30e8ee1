-- The partner organisation an upload belongs to (NULL for indicator and demo uploads).
SELECT u.kind, p.name AS partner FROM uploads u LEFT JOIN partners p ON p.partner_id = u.partner_id
WHERE u.upload_id = $upload_id
