-- Counts activities whose derived masks or place set disagree with their bridge tables (should be 0).
WITH expected AS (
    SELECT a.activity_key,
           coalesce((SELECT bit_or(1::UINTEGER << CAST(substr(x.aim, 2) AS INTEGER)) FROM activity_aims x
                      WHERE x.activity_key = a.activity_key), 0) AS aim_mask,
           coalesce((SELECT bit_or(1::UINTEGER << CAST(substr(x.way, 2) AS INTEGER)) FROM activity_ways x
                      WHERE x.activity_key = a.activity_key), 0) AS way_mask,
           coalesce((SELECT bit_or(1::UINTEGER << CAST(substr(x.theme, 2) AS INTEGER)) FROM activity_themes x
                      WHERE x.activity_key = a.activity_key), 0) AS theme_mask,
           (SELECT string_agg(x.place_code, ' ' ORDER BY x.place_code) FROM activity_places x
             WHERE x.activity_key = a.activity_key) AS place_set
    FROM activities a
)
SELECT count(*) AS out_of_step
FROM activities a JOIN expected e USING (activity_key)
WHERE a.aim_mask IS DISTINCT FROM e.aim_mask OR a.way_mask IS DISTINCT FROM e.way_mask
   OR a.theme_mask IS DISTINCT FROM e.theme_mask OR a.place_set IS DISTINCT FROM e.place_set
