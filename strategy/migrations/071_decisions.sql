-- Board decisions and actions recorded on a view or a slide, so they come back at the next board pack.
-- view_query: the filtered view the decision was made on, as its query string (place=...&aim=...), so the link
--   opens the same view and the figures can be worked out again with the same filters.
-- snapshot_*: the view's headline totals when the decision was recorded (strategy.analysis.headline_totals, worked
--   out as on snapshot_on); "what moved" is now minus these.
-- state: open, in_progress, done, dropped.
CREATE SEQUENCE decision_ids START 1;
CREATE TABLE decisions (
    decision_id              INTEGER PRIMARY KEY DEFAULT nextval('decision_ids'),
    what                     VARCHAR NOT NULL,
    owner                    VARCHAR NOT NULL,
    due_date                 DATE,
    state                    VARCHAR NOT NULL DEFAULT 'open',
    view_page                VARCHAR,          -- the page or slide it was made on, e.g. 'Presentation: Gaps'
    view_query               VARCHAR NOT NULL DEFAULT '',
    experiment_id            INTEGER,          -- a safe-to-fail experiment it concerns
    reflection_id            INTEGER,          -- a commitment in the learning log it concerns
    decided_on               DATE NOT NULL,
    snapshot_on              DATE NOT NULL,
    snapshot_activities      INTEGER NOT NULL,
    snapshot_partners        INTEGER NOT NULL,
    snapshot_places_reached  INTEGER NOT NULL,
    snapshot_investment      DOUBLE NOT NULL,
    snapshot_participants    DOUBLE NOT NULL,
    recorded_by              VARCHAR,
    recorded_at              TIMESTAMP DEFAULT current_timestamp,
    state_changed_by         VARCHAR,
    state_changed_at         TIMESTAMP
);
