-- Saved what-if scenarios, newest first, each with the money it adds per place (a list of place, added).
SELECT s.scenario_id, s.name, s.kind, s.amount, s.from_place, s.to_place, s.aim, s.weight_inactive, s.weight_imd,
       s.weight_population, s.view_query, s.in_board_pack, s.created_by, s.created_at,
       (SELECT list({'place_code': p.place_code, 'added': p.added} ORDER BY p.place_code)
          FROM scenario_places p WHERE p.scenario_id = s.scenario_id) AS places
FROM scenarios s
WHERE NOT $in_board_pack_only OR s.in_board_pack
ORDER BY s.scenario_id DESC
