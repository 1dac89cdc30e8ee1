-- Re-created on every init. Every board-facing query starts from filtered_activities, so the
-- filter rules live here once.

-- The current activities a filter selects, each with its weight: the part of its money and
-- participants that falls in the selected places (1.0 when no place is selected). An activity
-- matches a list filter when it names any of the listed codes; it matches the period when it runs
-- during any part of it.
CREATE OR REPLACE MACRO filtered_activities(places, sectors, aims, ways, themes, partners, date_from, date_to) AS TABLE
WITH current_activities AS (
    SELECT a.*
    FROM activities a
    WHERE a.replaced_by_upload IS NULL
      AND (len(CAST(sectors AS VARCHAR[])) = 0 OR list_contains(CAST(sectors AS VARCHAR[]), a.sector))
      AND (len(CAST(partners AS VARCHAR[])) = 0 OR a.partner_id IN (
            SELECT partner_id FROM partners WHERE list_contains(CAST(partners AS VARCHAR[]), name)))
      AND (CAST(date_to AS DATE) IS NULL OR a.start_date <= CAST(date_to AS DATE))
      AND (CAST(date_from AS DATE) IS NULL OR coalesce(a.end_date, a.start_date) >= CAST(date_from AS DATE))
      AND (len(CAST(aims AS VARCHAR[])) = 0 OR a.activity_key IN (
            SELECT activity_key FROM activity_aims WHERE list_contains(CAST(aims AS VARCHAR[]), aim)))
      AND (len(CAST(ways AS VARCHAR[])) = 0 OR a.activity_key IN (
            SELECT activity_key FROM activity_ways WHERE list_contains(CAST(ways AS VARCHAR[]), way)))
      AND (len(CAST(themes AS VARCHAR[])) = 0 OR a.activity_key IN (
            SELECT activity_key FROM activity_themes WHERE list_contains(CAST(themes AS VARCHAR[]), theme)))
),
place_weights AS (
    SELECT activity_key, sum(share) AS weight
    FROM activity_places
    WHERE list_contains(CAST(places AS VARCHAR[]), place_code)
    GROUP BY activity_key
)
SELECT c.*, CASE WHEN len(CAST(places AS VARCHAR[])) = 0 THEN 1.0 ELSE w.weight END AS weight
FROM current_activities c
LEFT JOIN place_weights w USING (activity_key)
WHERE len(CAST(places AS VARCHAR[])) = 0 OR w.activity_key IS NOT NULL;

-- Every dimension an activity can be sliced by, in one long table: (activity, dimension, code, share).
-- share is 1 except for places, where it is the apportioned part of the activity.
CREATE OR REPLACE VIEW activity_dimensions AS
SELECT activity_key, 'aim' AS dimension, aim AS code, 1.0 AS share FROM activity_aims
UNION ALL SELECT activity_key, 'way', way, 1.0 FROM activity_ways
UNION ALL SELECT activity_key, 'theme', theme, 1.0 FROM activity_themes
UNION ALL SELECT activity_key, 'place', place_code, share FROM activity_places
UNION ALL SELECT activity_key, 'sector', sector, 1.0 FROM activities WHERE replaced_by_upload IS NULL;
