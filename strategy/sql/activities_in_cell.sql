-- The activities behind one heatmap cell (the newest 500), with what they name, for the drill-down table.
-- The cell is found from the derived columns; the names are gathered for the 500 shown only.
WITH in_cell AS (
    SELECT *
    FROM filtered_activities($places, $sectors, $aims, $ways, $themes, $partners, $date_from, $date_to)
    WHERE names_area($row_dimension, $row_code, aim_mask, way_mask, theme_mask, sector, place_set, $place_successors)
      AND names_area($column_dimension, $column_code, aim_mask, way_mask, theme_mask, sector, place_set,
                     $place_successors)
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
       s.participants, s.investment_gbp, s.is_experiment, aims.aims, ways.ways, themes.themes, place_names.places
FROM in_cell s
JOIN partners p USING (partner_id)
LEFT JOIN aims USING (activity_key)
LEFT JOIN ways USING (activity_key)
LEFT JOIN themes USING (activity_key)
LEFT JOIN place_names USING (activity_key)
ORDER BY s.start_date DESC, s.title
