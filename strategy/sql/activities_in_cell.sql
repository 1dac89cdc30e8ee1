-- The activities behind one heatmap cell (the newest 500), with what they name, for the drill-down table.
-- Each carries the share of its money and participants that counts in this cell (the cell's place's share when a
-- dimension is place, else its share in the selected places; times the share of its run in the period), and every
-- row carries the cell's own figures over ALL its activities (cell_*), so the list adds up to the cell even when
-- only 500 are shown. The cell is found from the derived columns; the names are gathered for the 500 shown only.
WITH matching AS (
    SELECT *
    FROM filtered_activities($places, $sectors, $aims, $ways, $themes, $partners, $date_from, $date_to, $today)
    WHERE names_area($row_dimension, $row_code, aim_mask, way_mask, theme_mask, sector, place_set, $place_successors)
      AND names_area($column_dimension, $column_code, aim_mask, way_mask, theme_mask, sector, place_set,
                     $place_successors)
),
cell_place AS (
    -- a replaced place's share counts in the area that replaced it (area_members, place_successor_macros.sql)
    SELECT member_key AS place_set, share
    FROM area_members('place', $places, $place_successors)
    WHERE code = CASE WHEN $row_dimension = 'place' THEN $row_code
                      WHEN $column_dimension = 'place' THEN $column_code END
),
shared AS (
    SELECT m.*,
           CASE WHEN $row_dimension = 'place' OR $column_dimension = 'place' THEN coalesce(c.share, 0)
                ELSE m.place_share END * m.period_share AS share_in_cell
    FROM matching m
    LEFT JOIN cell_place c ON c.place_set = m.place_set
),
in_cell AS (
    SELECT *,
           count(*) OVER () AS cell_activities,
           coalesce(sum(investment_gbp * share_in_cell) OVER (), 0)::DOUBLE AS cell_investment,
           coalesce(sum(participants * share_in_cell) OVER (), 0)::DOUBLE AS cell_participants,
           coalesce(sum(investment_gbp) OVER (), 0)::DOUBLE AS cell_investment_whole,
           coalesce(sum(participants) OVER (), 0)::DOUBLE AS cell_participants_whole
    FROM shared
    ORDER BY start_date DESC, title
    LIMIT 500
),
aims AS (SELECT activity_key, string_agg(aim, ', ' ORDER BY aim) AS aims
         FROM activity_aims WHERE activity_key IN (SELECT activity_key FROM in_cell) GROUP BY activity_key),
ways AS (SELECT activity_key, string_agg(way, ', ' ORDER BY way) AS ways
         FROM activity_ways WHERE activity_key IN (SELECT activity_key FROM in_cell) GROUP BY activity_key),
themes AS (SELECT activity_key, string_agg(theme, ', ' ORDER BY theme) AS themes
           FROM activity_themes WHERE activity_key IN (SELECT activity_key FROM in_cell) GROUP BY activity_key),
place_names AS (SELECT x.activity_key, string_agg(pl.name, ', ' ORDER BY pl.name) AS places
                FROM activity_places x JOIN places pl ON pl.code = x.place_code
                WHERE x.activity_key IN (SELECT activity_key FROM in_cell) GROUP BY x.activity_key)
SELECT s.activity_id, s.title, p.name AS partner, s.sector, s.start_date, s.end_date, s.status,
       s.participants, (s.participants * s.share_in_cell)::DOUBLE AS participants_in_cell,
       s.investment_gbp, (s.investment_gbp * s.share_in_cell)::DOUBLE AS investment_in_cell,
       s.share_in_cell, s.is_experiment, aims.aims, ways.ways, themes.themes, place_names.places,
       s.cell_activities, s.cell_investment, s.cell_participants, s.cell_investment_whole, s.cell_participants_whole
FROM in_cell s
JOIN partners p USING (partner_id)
LEFT JOIN aims USING (activity_key)
LEFT JOIN ways USING (activity_key)
LEFT JOIN themes USING (activity_key)
LEFT JOIN place_names USING (activity_key)
ORDER BY s.start_date DESC, s.title
