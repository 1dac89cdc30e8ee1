-- One user by email: their stored key (strategy/names.py) equals the bound key; with their partner's name and the
-- provider account (issuer, subject) recorded at their first sign-in.
SELECT u.user_id, u.email, u.role, p.name AS partner, u.active, u.issuer, u.subject
FROM users u
LEFT JOIN partners p ON p.partner_id = u.partner_id
WHERE u.email_key = $email_key
ORDER BY u.user_id
LIMIT 1
