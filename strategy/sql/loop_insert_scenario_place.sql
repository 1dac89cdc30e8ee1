-- The money a saved scenario adds (negative: takes away) in one place.
INSERT INTO scenario_places (scenario_id, place_code, added) VALUES ($scenario_id, $place_code, $added)
