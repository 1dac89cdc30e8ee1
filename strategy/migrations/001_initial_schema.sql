-- The starting schema (docs/architecture.md, the data model). Later changes are new numbered files; never edit an applied one.

CREATE TABLE meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR
);

CREATE TABLE places (
    code        VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    level       VARCHAR NOT NULL,          -- country, county, district, unitary
    parent      VARCHAR,
    valid_from  DATE,
    valid_to    DATE,
    population  BIGINT,                    -- latest all-ages estimate used to apportion
    population_source VARCHAR,
    lat         DOUBLE,
    lon         DOUBLE
);

CREATE SEQUENCE partner_ids START 1;
CREATE TABLE partners (
    partner_id  INTEGER PRIMARY KEY DEFAULT nextval('partner_ids'),
    name        VARCHAR NOT NULL UNIQUE,
    sector      VARCHAR,
    created_at  TIMESTAMP DEFAULT current_timestamp
);

CREATE SEQUENCE upload_ids START 1;
CREATE TABLE uploads (
    upload_id     INTEGER PRIMARY KEY DEFAULT nextval('upload_ids'),
    kind          VARCHAR NOT NULL,        -- activities, indicators, demo
    partner_id    INTEGER,
    uploaded_by   VARCHAR,
    uploaded_at   TIMESTAMP DEFAULT current_timestamp,
    file_name     VARCHAR,
    sha256        VARCHAR,
    encoding      VARCHAR,
    delimiter     VARCHAR,
    rows_read     INTEGER,
    rows_loaded   INTEGER,
    rows_rejected INTEGER,
    status        VARCHAR NOT NULL,        -- loaded, rolled back
    report        VARCHAR,                 -- JSON validation report
    original      BLOB                     -- the file exactly as received
);

-- One row per version of a partner's activity. The current version has replaced_by_upload NULL.
-- New keys are max(activity_key) + n inside the loading transaction (one writer).
CREATE TABLE activities (
    activity_key       BIGINT PRIMARY KEY,
    partner_id         INTEGER NOT NULL,
    activity_id        VARCHAR NOT NULL,   -- the partner's own reference
    version            INTEGER NOT NULL DEFAULT 1,
    upload_id          INTEGER,
    replaced_by_upload INTEGER,
    title              VARCHAR NOT NULL,
    description        VARCHAR,
    sector             VARCHAR NOT NULL,   -- sector code
    start_date         DATE NOT NULL,
    end_date           DATE,
    status             VARCHAR,
    participants       BIGINT,
    investment_gbp     DECIMAL(14, 2),
    target_groups      VARCHAR[],
    is_experiment      BOOLEAN NOT NULL DEFAULT false
);

CREATE TABLE activity_aims   (activity_key BIGINT NOT NULL, aim VARCHAR NOT NULL);
CREATE TABLE activity_ways   (activity_key BIGINT NOT NULL, way VARCHAR NOT NULL);
CREATE TABLE activity_themes (activity_key BIGINT NOT NULL, theme VARCHAR NOT NULL);
-- share: this place's part of the activity's money and participants (by population; sums to 1 per activity).
CREATE TABLE activity_places (activity_key BIGINT NOT NULL, place_code VARCHAR NOT NULL, share DOUBLE);

CREATE TABLE indicators (
    indicator_id VARCHAR PRIMARY KEY,
    name         VARCHAR NOT NULL,
    short_name   VARCHAR,
    unit         VARCHAR,                  -- '%', 'rank', 'people'
    polarity     VARCHAR,                  -- higher_is_better, lower_is_better, none
    aim          VARCHAR,
    source       VARCHAR,
    definition   VARCHAR
);

CREATE TABLE indicator_values (
    indicator_id VARCHAR NOT NULL,
    place_code   VARCHAR NOT NULL,
    period       VARCHAR NOT NULL,
    value        DOUBLE,                   -- NULL when suppressed or missing, never 0
    lower_ci     DOUBLE,
    upper_ci     DOUBLE,
    count        DOUBLE,
    denominator  DOUBLE,
    source       VARCHAR,
    upload_id    INTEGER
);

CREATE SEQUENCE audit_ids START 1;
CREATE TABLE audit_log (
    audit_id   BIGINT PRIMARY KEY DEFAULT nextval('audit_ids'),
    logged_at  TIMESTAMP DEFAULT current_timestamp,
    actor      VARCHAR,
    action     VARCHAR NOT NULL,
    detail     VARCHAR,
    upload_id  INTEGER
);
