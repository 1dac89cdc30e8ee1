-- Links the activities being loaded (temporary table incoming) to their places (temporary table links) with each
-- place's share set as apportion_places_for_upload.sql sets it: by population where every named place has one,
-- else equally; the shares of one activity sum to 1. Computed while inserting, which is much faster on large
-- uploads than inserting and then updating.
INSERT INTO activity_places (activity_key, place_code, share)
SELECT i.activity_key, l.code,
       CASE WHEN bool_and(p.population IS NOT NULL) OVER (PARTITION BY i.activity_key)
            THEN p.population / sum(p.population) OVER (PARTITION BY i.activity_key)
            ELSE 1.0 / count(*) OVER (PARTITION BY i.activity_key) END AS share
FROM links l
JOIN incoming i USING (row_number)
LEFT JOIN places p ON p.code = l.code
WHERE l.kind = 'place'
