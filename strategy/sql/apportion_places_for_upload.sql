-- Sets each place's share of the activities an upload added: by population where every named place
-- has one, else equally. Shares of one activity sum to 1, so totals across places equal the activities' sum.
UPDATE activity_places
SET share = apportioned.share
FROM (
    SELECT ap.activity_key, ap.place_code,
           CASE WHEN bool_and(p.population IS NOT NULL) OVER (PARTITION BY ap.activity_key)
                THEN p.population / sum(p.population) OVER (PARTITION BY ap.activity_key)
                ELSE 1.0 / count(*) OVER (PARTITION BY ap.activity_key) END AS share
    FROM activity_places ap
    LEFT JOIN places p ON p.code = ap.place_code
    WHERE ap.activity_key IN (SELECT activity_key FROM activities WHERE upload_id = $upload_id)
) AS apportioned
WHERE activity_places.activity_key = apportioned.activity_key
  AND activity_places.place_code = apportioned.place_code
