-- activity_key without its primary-key index. Keys stay unique by construction: every write that adds activities
-- holds the one write lock (strategy/db.py WRITE_LOCK) and takes keys above the largest, and the health check
-- reports any duplicate. The index made loading a large upload a third slower and served no query: DuckDB's
-- min-max zone maps already find a key, and joins on it are hash joins. DuckDB cannot drop a constraint, so the
-- table is rebuilt, rows in the same order.
CREATE TABLE activities_rebuilt (
    activity_key       BIGINT NOT NULL,
    partner_id         INTEGER NOT NULL,
    activity_id        VARCHAR NOT NULL,
    version            INTEGER NOT NULL DEFAULT 1,
    upload_id          INTEGER,
    replaced_by_upload INTEGER,
    title              VARCHAR NOT NULL,
    description        VARCHAR,
    sector             VARCHAR NOT NULL,
    start_date         DATE NOT NULL,
    end_date           DATE,
    status             VARCHAR,
    participants       BIGINT,
    investment_gbp     DECIMAL(14, 2),
    target_groups      VARCHAR[],
    is_experiment      BOOLEAN NOT NULL DEFAULT false,
    aim_mask           UINTEGER,
    way_mask           UINTEGER,
    theme_mask         UINTEGER,
    place_set          VARCHAR
);
INSERT INTO activities_rebuilt
SELECT activity_key, partner_id, activity_id, version, upload_id, replaced_by_upload, title, description, sector,
       start_date, end_date, status, participants, investment_gbp, target_groups, is_experiment, aim_mask, way_mask,
       theme_mask, place_set
FROM activities ORDER BY rowid;
DROP TABLE activities;
ALTER TABLE activities_rebuilt RENAME TO activities;
