-- The derived columns of the activities being loaded (temporary table links: row_number, kind, code), computed
-- as strategy/sql/derive_activity_profiles.sql computes them from the bridge tables: bit n for a code ending in n,
-- and the sorted, space-separated set of places.
CREATE OR REPLACE TEMP TABLE incoming_profiles AS
SELECT row_number,
       coalesce(bit_or(CASE WHEN kind = 'aim' THEN 1::UINTEGER << CAST(substr(code, 2) AS INTEGER) END), 0) AS aim_mask,
       coalesce(bit_or(CASE WHEN kind = 'way' THEN 1::UINTEGER << CAST(substr(code, 2) AS INTEGER) END), 0) AS way_mask,
       coalesce(bit_or(CASE WHEN kind = 'theme' THEN 1::UINTEGER << CAST(substr(code, 2) AS INTEGER) END), 0)
           AS theme_mask,
       array_to_string(list_sort(list_distinct(list(code) FILTER (WHERE kind = 'place'))), ' ') AS place_set
FROM (SELECT DISTINCT row_number, kind, code FROM links)
GROUP BY row_number
