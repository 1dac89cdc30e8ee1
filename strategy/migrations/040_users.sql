-- Who may sign in, with which role, for which partner organisation (partners only). Emails are stored lower
-- case; a user is never deleted, only made inactive, so the audit log's names keep their meaning.
CREATE SEQUENCE user_ids START 1;
CREATE TABLE users (
    user_id     INTEGER PRIMARY KEY DEFAULT nextval('user_ids'),
    email       VARCHAR NOT NULL UNIQUE CHECK (email = lower(trim(email)) AND email LIKE '%_@_%'),
    role        VARCHAR NOT NULL CHECK (role IN ('viewer', 'partner', 'analyst', 'admin')),
    partner_id  INTEGER,
    active      BOOLEAN NOT NULL DEFAULT true,
    created_at  TIMESTAMP DEFAULT current_timestamp,
    created_by  VARCHAR,
    updated_at  TIMESTAMP DEFAULT current_timestamp,
    updated_by  VARCHAR
);
