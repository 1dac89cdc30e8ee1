-- Every activity the filters select, one row each, in the activity CSV's own columns (so an export can be
-- edited and uploaded again), plus the share of its money and participants in the selected places, the share of
-- its run in the period, and the money and participants the view counts (whole x both shares).
WITH selected AS (
    SELECT * FROM filtered_activities($places, $sectors, $aims, $ways, $themes, $partners, $date_from, $date_to, $today)
)
SELECT s.activity_id,
       s.title,
       s.description,
       s.sector,
       (SELECT string_agg(x.place_code, '; ' ORDER BY x.place_code) FROM activity_places x
         WHERE x.activity_key = s.activity_key) AS places,
       (SELECT string_agg(aim, '; ' ORDER BY aim) FROM activity_aims x WHERE x.activity_key = s.activity_key) AS aims,
       (SELECT string_agg(way, '; ' ORDER BY way) FROM activity_ways x WHERE x.activity_key = s.activity_key) AS ways_of_working,
       (SELECT string_agg(theme, '; ' ORDER BY theme) FROM activity_themes x WHERE x.activity_key = s.activity_key) AS themes,
       s.start_date,
       s.end_date,
       s.status,
       s.participants,
       s.investment_gbp::DOUBLE AS investment_gbp,
       array_to_string(s.target_groups, '; ') AS target_groups,
       p.name AS partner,
       s.version,
       s.is_experiment,
       round(s.place_share, 6) AS share_in_selected_places,
       round(s.period_share, 6) AS share_of_run_in_period,
       round(s.investment_gbp * s.weight, 2)::DOUBLE AS investment_in_selected_places_and_period,
       round(s.participants * s.weight, 2)::DOUBLE AS participants_in_selected_places_and_period
FROM selected s
JOIN partners p USING (partner_id)
ORDER BY p.name, s.activity_id
