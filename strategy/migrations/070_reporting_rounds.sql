-- Reporting rounds: a named request for returns ("2026/27 Q2") with a deadline and the partners expected to
-- return. Whether a partner has returned is not stored: it is worked out from their uploads (an activity upload
-- still loaded, made after the round opened), so a roll back or a late upload is always reflected.
CREATE SEQUENCE round_ids START 1;
CREATE TABLE reporting_rounds (
    round_id   INTEGER PRIMARY KEY DEFAULT nextval('round_ids'),
    name       VARCHAR NOT NULL UNIQUE,
    deadline   DATE NOT NULL,
    opened_at  TIMESTAMP NOT NULL DEFAULT current_timestamp,
    opened_by  VARCHAR
);
CREATE TABLE round_partners (
    round_id   INTEGER NOT NULL,
    partner_id INTEGER NOT NULL,
    PRIMARY KEY (round_id, partner_id)
);
