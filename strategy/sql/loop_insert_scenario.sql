-- Save one what-if scenario's settings (its money per place is saved beside it, loop_insert_scenario_place.sql).
INSERT INTO scenarios (name, kind, amount, from_place, to_place, aim, weight_inactive, weight_imd, weight_population,
                       view_query, in_board_pack, created_by)
VALUES ($scenario_name, $kind, $amount, $from_place, $to_place, $aim, $weight_inactive, $weight_imd, $weight_population,
        $view_query, $in_board_pack, $created_by)
RETURNING scenario_id
