-- The activities behind one heatmap cell, with what they name, for the drill-down table.
WITH selected AS (
    SELECT * FROM filtered_activities($places, $sectors, $aims, $ways, $themes, $partners, $date_from, $date_to)
)
SELECT s.activity_id, s.title, p.name AS partner, s.sector, s.start_date, s.end_date, s.status,
       s.participants, s.investment_gbp, s.is_experiment,
       (SELECT string_agg(aim, ', ' ORDER BY aim) FROM activity_aims x WHERE x.activity_key = s.activity_key) AS aims,
       (SELECT string_agg(way, ', ' ORDER BY way) FROM activity_ways x WHERE x.activity_key = s.activity_key) AS ways,
       (SELECT string_agg(theme, ', ' ORDER BY theme) FROM activity_themes x WHERE x.activity_key = s.activity_key) AS themes,
       (SELECT string_agg(pl.name, ', ' ORDER BY pl.name) FROM activity_places x JOIN places pl ON pl.code = x.place_code
         WHERE x.activity_key = s.activity_key) AS places
FROM selected s
JOIN partners p USING (partner_id)
WHERE s.activity_key IN (SELECT activity_key FROM activity_dimensions WHERE dimension = $row_dimension AND code = $row_code)
  AND s.activity_key IN (SELECT activity_key FROM activity_dimensions WHERE dimension = $column_dimension AND code = $column_code)
ORDER BY s.start_date DESC, s.title
LIMIT 500
