-- Re-created on every init. Every board-facing query starts from filtered_activities, so the filter and
-- apportioning rules live here once.

-- The bit mask of a list of codes such as ['A2', 'A3'] (bit n for the code ending in n).
CREATE OR REPLACE MACRO code_mask(codes) AS (
    SELECT coalesce(bit_or(1::UINTEGER << CAST(substr(c, 2) AS INTEGER)), 0::UINTEGER)
    FROM unnest(CAST(codes AS VARCHAR[])) AS t(c)
);

-- The codes a mask stands for, in order: mask_codes(0b110, 'A') = ['A1', 'A2'] (bit n for the code ending in n).
CREATE OR REPLACE MACRO mask_codes(mask, letter) AS
    list_transform(list_filter(range(1, 32), lambda b: (mask >> b) & 1 = 1), lambda b: letter || b);

-- Each place's share of an activity that reaches a set of places: by population where every place in
-- the set has one, else equally. The one apportioning rule (DESIGN section 4).
CREATE OR REPLACE MACRO place_set_shares() AS TABLE
WITH members AS (
    SELECT place_set, unnest(string_split(place_set, ' ')) AS place_code
    FROM (SELECT DISTINCT place_set FROM activities WHERE place_set IS NOT NULL)
)
SELECT m.place_set, m.place_code,
       CASE WHEN bool_and(p.population IS NOT NULL) OVER place_sets
            THEN p.population / sum(p.population) OVER place_sets
            ELSE 1.0 / count(*) OVER place_sets END AS share
FROM members m
LEFT JOIN places p ON p.code = m.place_code
WINDOW place_sets AS (PARTITION BY m.place_set);

-- The last day of an activity's run: its end date, both ends counting as days of the run. One with no end date
-- is running until it ends, so its run reaches today (a start after today: its first day only); an end before the
-- start (which uploads refuse) is read as a one-day run.
CREATE OR REPLACE MACRO run_end(start_date, end_date, today) AS
    greatest(start_date, coalesce(end_date, coalesce(CAST(today AS DATE), current_date)));

-- The share of an activity's run that falls in a period (either end may be open): days of the run in the period
-- over days in the run, both ends inclusive. The one rule for money and participants over time (like
-- place_set_shares() for places): an activity's shares of a set of periods that cover its run add up to 1, so
-- per-period figures add up to the total. 1.0 with no period; 0.0 when the run misses the period.
CREATE OR REPLACE MACRO period_share(start_date, end_date, date_from, date_to, today) AS
    greatest(0, datediff('day',
                         greatest(start_date, coalesce(CAST(date_from AS DATE), start_date)),
                         least(run_end(start_date, end_date, today),
                               coalesce(CAST(date_to AS DATE), run_end(start_date, end_date, today)))) + 1)::DOUBLE
    / (datediff('day', start_date, run_end(start_date, end_date, today)) + 1);

-- The current activities a filter selects, each with the share of its money and participants that the view
-- counts: place_share (the part in the selected places, 1.0 when no place is selected) times period_share (the
-- part of its run in the period, 1.0 with no period) is its weight. An activity matches a list filter when it
-- names any of the listed codes, and the period when any day of its run (run_end()) falls in it. today (the day
-- an activity without an end date runs to) defaults to the database's current date.
CREATE OR REPLACE MACRO filtered_activities(places, sectors, aims, ways, themes, partners, date_from, date_to,
                                            today := NULL) AS TABLE
WITH set_weights AS (
    SELECT place_set, sum(share) AS weight
    FROM place_set_shares()
    WHERE list_contains(CAST(places AS VARCHAR[]), place_code)
    GROUP BY place_set
),
selected AS (
    SELECT a.*,
           CASE WHEN len(CAST(places AS VARCHAR[])) = 0 THEN 1.0 ELSE w.weight END::DOUBLE AS place_share,
           period_share(a.start_date, a.end_date, date_from, date_to, today) AS period_share
    FROM activities a
    LEFT JOIN set_weights w ON w.place_set = a.place_set
    WHERE a.replaced_by_upload IS NULL
      AND (len(CAST(places AS VARCHAR[])) = 0 OR w.place_set IS NOT NULL)
      AND (len(CAST(sectors AS VARCHAR[])) = 0 OR list_contains(CAST(sectors AS VARCHAR[]), a.sector))
      AND (len(CAST(aims AS VARCHAR[])) = 0 OR (a.aim_mask & code_mask(aims)) <> 0)
      AND (len(CAST(ways AS VARCHAR[])) = 0 OR (a.way_mask & code_mask(ways)) <> 0)
      AND (len(CAST(themes AS VARCHAR[])) = 0 OR (a.theme_mask & code_mask(themes)) <> 0)
      AND (len(CAST(partners AS VARCHAR[])) = 0 OR a.partner_id IN (  -- partners: name keys (strategy/names.py)
            SELECT partner_id FROM partners WHERE list_contains(CAST(partners AS VARCHAR[]), name_key)))
      AND (CAST(date_to AS DATE) IS NULL OR a.start_date <= CAST(date_to AS DATE))
      AND (CAST(date_from AS DATE) IS NULL OR run_end(a.start_date, a.end_date, today) >= CAST(date_from AS DATE))
)
SELECT *, place_share * period_share AS weight
FROM selected;

-- The codes a derived key stands for in one dimension, with each code's share of the key's money:
-- an aim/way/theme mask -> its codes (share 1); a sector -> itself; a place set -> its places, by the
-- apportioning rule, limited to the selected places.
CREATE OR REPLACE MACRO dimension_members(dimension_name, places) AS TABLE
WITH masks AS (
    SELECT DISTINCT CASE dimension_name WHEN 'aim' THEN aim_mask WHEN 'way' THEN way_mask ELSE theme_mask END AS mask
    FROM activities
    WHERE dimension_name IN ('aim', 'way', 'theme')
)
SELECT mask::VARCHAR AS member_key,
       CASE dimension_name WHEN 'aim' THEN 'A' WHEN 'way' THEN 'W' ELSE 'T' END || b AS code,
       1.0 AS share
FROM masks, range(1, 32) AS bits(b)
WHERE (mask >> b) & 1 = 1
UNION ALL
SELECT DISTINCT sector, sector, 1.0 FROM activities WHERE dimension_name = 'sector'
UNION ALL
SELECT place_set, place_code, share FROM place_set_shares()
WHERE dimension_name = 'place'
  AND (len(CAST(places AS VARCHAR[])) = 0 OR list_contains(CAST(places AS VARCHAR[]), place_code));

-- Every dimension an activity can be sliced by, in one long table: (activity, dimension, code, share),
-- for the drill-down from a heatmap cell to its activities.
CREATE OR REPLACE VIEW activity_dimensions AS
SELECT activity_key, 'aim' AS dimension, aim AS code, 1.0 AS share FROM activity_aims
UNION ALL SELECT activity_key, 'way', way, 1.0 FROM activity_ways
UNION ALL SELECT activity_key, 'theme', theme, 1.0 FROM activity_themes
UNION ALL SELECT activity_key, 'place', place_code, share FROM activity_places
UNION ALL SELECT activity_key, 'sector', sector, 1.0 FROM activities WHERE replaced_by_upload IS NULL;

-- Whether an activity (by its derived columns) names a code of a dimension: the drill-down's cell test.
CREATE OR REPLACE MACRO names_code(dimension_name, code, aim_mask, way_mask, theme_mask, sector, place_set) AS
    CASE dimension_name
        WHEN 'aim' THEN (aim_mask >> CAST(substr(code, 2) AS INTEGER)) & 1 = 1
        WHEN 'way' THEN (way_mask >> CAST(substr(code, 2) AS INTEGER)) & 1 = 1
        WHEN 'theme' THEN (theme_mask >> CAST(substr(code, 2) AS INTEGER)) & 1 = 1
        WHEN 'sector' THEN sector = code
        ELSE list_contains(string_split(place_set, ' '), code)
    END;
