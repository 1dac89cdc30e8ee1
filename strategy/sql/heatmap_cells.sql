-- Activities, investment and participants in each (row, column) cell of a heatmap, for any two
-- dimensions (aim, way, theme, place, sector). An activity counts in every cell it names; money
-- and participants are apportioned when a dimension is place, else weighted by the place filter.
WITH selected AS (
    SELECT activity_key, investment_gbp, participants, weight
    FROM filtered_activities($places, $sectors, $aims, $ways, $themes, $partners, $date_from, $date_to)
),
row_codes AS (
    SELECT activity_key, code, share FROM activity_dimensions
    WHERE dimension = $row_dimension
      AND ($row_dimension <> 'place' OR len(CAST($places AS VARCHAR[])) = 0
           OR list_contains(CAST($places AS VARCHAR[]), code))
),
column_codes AS (
    SELECT activity_key, code, share FROM activity_dimensions
    WHERE dimension = $column_dimension
      AND ($column_dimension <> 'place' OR len(CAST($places AS VARCHAR[])) = 0
           OR list_contains(CAST($places AS VARCHAR[]), code))
)
SELECT r.code AS row_code,
       c.code AS column_code,
       count(*) AS activities,
       sum(s.investment_gbp * CASE WHEN $row_dimension = 'place' THEN r.share
                                   WHEN $column_dimension = 'place' THEN c.share
                                   ELSE s.weight END)::DOUBLE AS investment,
       sum(s.participants * CASE WHEN $row_dimension = 'place' THEN r.share
                                 WHEN $column_dimension = 'place' THEN c.share
                                 ELSE s.weight END)::DOUBLE AS participants
FROM selected s
JOIN row_codes r USING (activity_key)
JOIN column_codes c USING (activity_key)
GROUP BY ALL
