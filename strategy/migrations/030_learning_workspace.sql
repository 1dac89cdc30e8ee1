-- The partnership's learning workspace (docs/learning-workspace.md): shared purposes (with every version kept),
-- empathy maps and their notes (quotes pinned to aims and places), safe-to-fail experiments (each with a
-- linked activity so every alignment view counts it), the people and organisations involved, and the
-- learning log of reflections and commitments. Place lists hold local area codes (districts, unitary cities).

CREATE SEQUENCE purpose_ids START 1;
CREATE TABLE purposes (
    purpose_id  INTEGER PRIMARY KEY DEFAULT nextval('purpose_ids'),
    group_name  VARCHAR NOT NULL,
    members     VARCHAR,                     -- free text: who is in the group
    places      VARCHAR[] NOT NULL DEFAULT [],
    aims        VARCHAR[] NOT NULL DEFAULT [],
    is_demo     BOOLEAN NOT NULL DEFAULT false,
    created_by  VARCHAR,
    created_at  TIMESTAMP DEFAULT current_timestamp
);

-- Every saved wording of a purpose; the highest version is the current one.
CREATE TABLE purpose_versions (
    purpose_id  INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    what_text   VARCHAR NOT NULL,            -- what do we want to do
    why_text    VARCHAR NOT NULL,            -- why
    benefits_text VARCHAR NOT NULL,          -- what will the benefits be
    words       INTEGER NOT NULL,
    written_by  VARCHAR,
    written_at  TIMESTAMP DEFAULT current_timestamp,
    PRIMARY KEY (purpose_id, version)
);

CREATE SEQUENCE empathy_map_ids START 1;
CREATE TABLE empathy_maps (
    map_id      INTEGER PRIMARY KEY DEFAULT nextval('empathy_map_ids'),
    subject     VARCHAR NOT NULL,            -- 'young carers in Mansfield'
    subject_kind VARCHAR NOT NULL,           -- person, place, group
    description VARCHAR,
    purpose_id  INTEGER,
    places      VARCHAR[] NOT NULL DEFAULT [],
    aims        VARCHAR[] NOT NULL DEFAULT [],
    is_demo     BOOLEAN NOT NULL DEFAULT false,
    created_by  VARCHAR,
    created_at  TIMESTAMP DEFAULT current_timestamp
);

CREATE SEQUENCE empathy_note_ids START 1;
CREATE TABLE empathy_notes (
    note_id     INTEGER PRIMARY KEY DEFAULT nextval('empathy_note_ids'),
    map_id      INTEGER NOT NULL,
    quadrant    VARCHAR NOT NULL,            -- see, hear, think_feel, do_expect
    text        VARCHAR NOT NULL,
    source      VARCHAR,                     -- 'resident interview, May 2025', an insight report
    is_quote    BOOLEAN NOT NULL DEFAULT false,  -- a resident's own words
    pinned_aims   VARCHAR[] NOT NULL DEFAULT [],
    pinned_places VARCHAR[] NOT NULL DEFAULT [],
    created_by  VARCHAR,
    created_at  TIMESTAMP DEFAULT current_timestamp
);

CREATE SEQUENCE experiment_ids START 1;
CREATE TABLE experiments (
    experiment_id   INTEGER PRIMARY KEY DEFAULT nextval('experiment_ids'),
    title           VARCHAR NOT NULL,
    hypothesis      VARCHAR NOT NULL,
    purpose_id      INTEGER,
    aims            VARCHAR[] NOT NULL DEFAULT [],
    ways            VARCHAR[] NOT NULL DEFAULT [],
    places          VARCHAR[] NOT NULL DEFAULT [],
    lead_partner_id INTEGER NOT NULL,
    start_date      DATE NOT NULL,
    review_date     DATE,
    indicators      VARCHAR[] NOT NULL DEFAULT [],   -- indicator ids to watch
    working_signals VARCHAR,
    failing_signals VARCHAR,
    status          VARCHAR NOT NULL,                -- planned, running, reviewing, closed
    decision        VARCHAR,                         -- amplify, adapt, stop (after review)
    learned         VARCHAR,
    is_demo         BOOLEAN NOT NULL DEFAULT false,
    created_by      VARCHAR,
    created_at      TIMESTAMP DEFAULT current_timestamp,
    updated_at      TIMESTAMP DEFAULT current_timestamp
);

-- People and organisations to involve or influence, for a purpose or an experiment.
-- role: involved (a partner doing it), ally, influence (stakeholder to influence), in_the_room (needs to be).
CREATE SEQUENCE involvement_ids START 1;
CREATE TABLE involvements (
    involvement_id INTEGER PRIMARY KEY DEFAULT nextval('involvement_ids'),
    record_kind    VARCHAR NOT NULL,          -- purpose, experiment
    record_id      INTEGER NOT NULL,
    name           VARCHAR NOT NULL,          -- a partner's name, or another organisation or person
    sector         VARCHAR,                   -- a framework sector code, when known
    role           VARCHAR NOT NULL,
    note           VARCHAR,
    created_by     VARCHAR,
    created_at     TIMESTAMP DEFAULT current_timestamp
);

-- The learning log: a reflection, and optionally the one practical thing someone will do, by when.
CREATE SEQUENCE reflection_ids START 1;
CREATE TABLE reflections (
    reflection_id  INTEGER PRIMARY KEY DEFAULT nextval('reflection_ids'),
    kind           VARCHAR NOT NULL,          -- individual, group
    author         VARCHAR NOT NULL,          -- who reflected (a person or the group)
    heading        VARCHAR NOT NULL,          -- shared purpose, landscape, influence, keeping change going, ...
    purpose_id     INTEGER,
    experiment_id  INTEGER,
    aims           VARCHAR[] NOT NULL DEFAULT [],
    places         VARCHAR[] NOT NULL DEFAULT [],
    resonated      VARCHAR,
    learned        VARCHAR,
    commitment     VARCHAR,                   -- the one practical thing
    owner          VARCHAR,                   -- who will do it
    due_date       DATE,
    done_on        DATE,
    reflected_on   DATE NOT NULL,
    is_demo        BOOLEAN NOT NULL DEFAULT false,
    created_by     VARCHAR,
    created_at     TIMESTAMP DEFAULT current_timestamp
);
