-- What-if money: a named scenario moves a sum between places or spreads a new budget by need. A scenario is
-- kept apart from the reported figures: it never writes activities, and its slide says "Scenario, not actual".
-- kind: 'move' (amount from from_place to to_place) or 'spread' (a new budget over every place, by the weights).
-- aim: the aim the money is for (optional); the gap list marks that aim's gaps the scenario's money reaches.
-- scenario_places: the money the scenario adds (negative: takes away) in each place, as worked out when saved.
CREATE SEQUENCE scenario_ids START 1;
CREATE TABLE scenarios (
    scenario_id        INTEGER PRIMARY KEY DEFAULT nextval('scenario_ids'),
    name               VARCHAR NOT NULL UNIQUE,
    kind               VARCHAR NOT NULL,
    amount             DOUBLE NOT NULL,
    from_place         VARCHAR,
    to_place           VARCHAR,
    aim                VARCHAR,
    weight_inactive    DOUBLE,
    weight_imd         DOUBLE,
    weight_population  DOUBLE,
    view_query         VARCHAR NOT NULL DEFAULT '',
    in_board_pack      BOOLEAN NOT NULL DEFAULT true,
    created_by         VARCHAR,
    created_at         TIMESTAMP DEFAULT current_timestamp
);

CREATE TABLE scenario_places (
    scenario_id  INTEGER NOT NULL,
    place_code   VARCHAR NOT NULL,
    added        DOUBLE NOT NULL,
    PRIMARY KEY (scenario_id, place_code)
);
