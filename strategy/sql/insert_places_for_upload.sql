-- Links the activities being loaded (temporary table incoming) to their places (temporary table links) with each
-- place's share set as apportion_places_for_upload.sql sets it: by population where every named place has one,
-- else equally; the shares of one activity sum to 1. Computed while inserting, which is much faster on large
-- uploads than inserting and then updating.
INSERT INTO activity_places (activity_key, place_code, share)
WITH named AS (
    SELECT i.activity_key, l.code AS place_code, p.population
    FROM links l
    JOIN incoming i USING (row_number)
    LEFT JOIN places p ON p.code = l.code
    WHERE l.kind = 'place'
),
per_activity AS (  -- a grouped total joined back is much faster than a window over millions of rows
    SELECT activity_key, bool_and(population IS NOT NULL) AS all_known, sum(population) AS total, count(*) AS places
    FROM named GROUP BY activity_key
)
SELECT n.activity_key, n.place_code,
       CASE WHEN a.all_known THEN n.population / a.total ELSE 1.0 / a.places END AS share
FROM named n
JOIN per_activity a USING (activity_key)
