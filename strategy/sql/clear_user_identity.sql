-- Forget the provider account of a user an administrator adds again: their next sign-in records it afresh.
UPDATE users
SET issuer = NULL, subject = NULL
WHERE email_key = $email_key
