-- The provider account (issuer, subject) of a user's first sign-in; never overwrites one already recorded.
UPDATE users
SET issuer = $issuer, subject = $subject
WHERE email_key = $email_key AND issuer IS NULL AND subject IS NULL
