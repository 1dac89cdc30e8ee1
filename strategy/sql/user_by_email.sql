-- One user by email (lower case), with the name of their partner organisation and the provider account (issuer,
-- subject) recorded at their first sign-in.
SELECT u.user_id, u.email, u.role, p.name AS partner, u.active, u.issuer, u.subject
FROM users u
LEFT JOIN partners p ON p.partner_id = u.partner_id
WHERE u.email = $email
