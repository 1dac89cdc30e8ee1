-- Links the activities being loaded (temporary tables incoming and incoming_profiles) to their places, each with
-- its share by the one apportioning rule, place_set_shares() (strategy/sql/views_and_macros.sql). Inserting the
-- shares directly is much faster on large uploads than inserting and then updating.
INSERT INTO activity_places (activity_key, place_code, share)
SELECT i.activity_key, s.place_code, s.share
FROM incoming i
JOIN incoming_profiles p USING (row_number)
JOIN place_set_shares() s ON s.place_set = p.place_set
