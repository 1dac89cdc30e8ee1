-- Sets the derived columns (masks and place set) of the activities an upload added, from their bridge rows.
-- $upload_id NULL means every activity (used when upgrading a database).
UPDATE activities
SET aim_mask = coalesce(derived.aim_mask, 0),
    way_mask = coalesce(derived.way_mask, 0),
    theme_mask = coalesce(derived.theme_mask, 0),
    place_set = derived.place_set
FROM (
    SELECT a.activity_key,
           (SELECT bit_or(1::UINTEGER << CAST(substr(x.aim, 2) AS INTEGER)) FROM activity_aims x
             WHERE x.activity_key = a.activity_key) AS aim_mask,
           (SELECT bit_or(1::UINTEGER << CAST(substr(x.way, 2) AS INTEGER)) FROM activity_ways x
             WHERE x.activity_key = a.activity_key) AS way_mask,
           (SELECT bit_or(1::UINTEGER << CAST(substr(x.theme, 2) AS INTEGER)) FROM activity_themes x
             WHERE x.activity_key = a.activity_key) AS theme_mask,
           (SELECT string_agg(x.place_code, ' ' ORDER BY x.place_code) FROM activity_places x
             WHERE x.activity_key = a.activity_key) AS place_set
    FROM activities a
    WHERE $upload_id IS NULL OR a.upload_id = $upload_id
) AS derived
WHERE activities.activity_key = derived.activity_key
