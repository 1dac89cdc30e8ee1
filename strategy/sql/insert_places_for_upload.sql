-- Links the activities being loaded (temporary table typed; keys $base + row_number, see strategy/ingest/load.py)
-- to their places, each with its share by the one apportioning rule, place_set_shares()
-- (strategy/sql/views_and_macros.sql). Inserting the shares directly is much faster on large uploads than
-- inserting and then updating.
INSERT INTO activity_places (activity_key, place_code, share)
SELECT $base + t.row_number, s.place_code, s.share
FROM typed t
JOIN place_set_shares() s ON s.place_set = t.place_set
