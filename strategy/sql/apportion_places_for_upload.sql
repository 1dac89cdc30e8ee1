-- Sets each place's share of the activities an upload added ($upload_id NULL: all activities), by the one
-- apportioning rule in place_set_shares(): by population where every named place has one, else equally.
-- Shares of one activity sum to 1, so totals across places equal the activities' sum.
UPDATE activity_places
SET share = shares.share
FROM activities a, place_set_shares() AS shares
WHERE a.activity_key = activity_places.activity_key
  AND shares.place_set = a.place_set
  AND shares.place_code = activity_places.place_code
  AND ($upload_id IS NULL OR a.upload_id = $upload_id)
