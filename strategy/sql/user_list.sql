-- Every user, active first, with role, partner organisation and who last changed them.
SELECT u.email, u.role, p.name AS partner, u.active, u.created_at, u.created_by, u.updated_at, u.updated_by
FROM users u
LEFT JOIN partners p ON p.partner_id = u.partner_id
ORDER BY u.active DESC, u.email
