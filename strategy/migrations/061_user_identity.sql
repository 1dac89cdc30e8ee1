-- The provider account behind each user: the issuer (which provider) and subject (which account there) of their
-- first sign-in. Later sign-ins must come from the same account, so an email address claimed by someone else's
-- account at another provider, or a reused address, does not inherit the user's role. Empty until first sign-in;
-- cleared when an administrator adds the user again.
ALTER TABLE users ADD COLUMN issuer VARCHAR;
ALTER TABLE users ADD COLUMN subject VARCHAR;
