-- Activities, investment and participants in each (row, column) cell of a heatmap, for any two
-- dimensions (aim, way, theme, place, sector). An activity counts in every cell it names; money and
-- participants are apportioned when a dimension is place, else weighted by the place filter, and in either case
-- only the part of each activity's run that falls in the period counts (period_share). A place replaced
-- by the view's day counts in its successor (area_members, place_successor_macros.sql).
-- Activities are first grouped by their derived keys (masks, sector, place set), which leaves a few
-- thousand groups however many activities there are; the groups are then spread over their codes.
WITH selected AS (
    SELECT * FROM filtered_activities($places, $sectors, $aims, $ways, $themes, $partners, $date_from, $date_to, $today)
),
grouped AS (
    SELECT CASE $row_dimension WHEN 'aim' THEN aim_mask::VARCHAR WHEN 'way' THEN way_mask::VARCHAR
                               WHEN 'theme' THEN theme_mask::VARCHAR WHEN 'sector' THEN sector
                               ELSE place_set END AS row_key,
           CASE $column_dimension WHEN 'aim' THEN aim_mask::VARCHAR WHEN 'way' THEN way_mask::VARCHAR
                                  WHEN 'theme' THEN theme_mask::VARCHAR WHEN 'sector' THEN sector
                                  ELSE place_set END AS column_key,
           count(*) AS activities,
           sum(investment_gbp * weight) AS investment_weighted,
           sum(participants * weight) AS participants_weighted,
           sum(investment_gbp * period_share) AS investment_whole,
           sum(participants * period_share) AS participants_whole
    FROM selected
    GROUP BY ALL
)
SELECT r.code AS row_code,
       c.code AS column_code,
       sum(g.activities) AS activities,
       sum(CASE WHEN $row_dimension = 'place' THEN g.investment_whole * r.share
                WHEN $column_dimension = 'place' THEN g.investment_whole * c.share
                ELSE g.investment_weighted END)::DOUBLE AS investment,
       sum(CASE WHEN $row_dimension = 'place' THEN g.participants_whole * r.share
                WHEN $column_dimension = 'place' THEN g.participants_whole * c.share
                ELSE g.participants_weighted END)::DOUBLE AS participants
FROM grouped g
JOIN area_members($row_dimension, $places, $place_successors) r ON r.member_key = g.row_key
JOIN area_members($column_dimension, $places, $place_successors) c ON c.member_key = g.column_key
GROUP BY ALL
