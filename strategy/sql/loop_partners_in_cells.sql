-- Who else works on the same aims in the same places: for each other partner, the place x aim pairs (from
-- $cells, a list of 'PLACECODE|AIM' keys) where it has activities running in the period, and how many.
-- Activities are counted in every place they name (a county or several places: each of them), as in a heatmap.
WITH selected AS (
    SELECT * FROM filtered_activities($places, $sectors, $aims, $ways, $themes, [], $date_from, $date_to, $today)
),
spread AS (
    SELECT s.partner_id, ps.place_code, unnest(mask_codes(s.aim_mask, 'A')) AS aim
    FROM selected s
    JOIN place_set_shares() ps ON ps.place_set = s.place_set
)
SELECT p.name AS partner, p.sector, count(DISTINCT x.place_code || '|' || x.aim) AS shared_pairs,
       list(DISTINCT x.place_code || '|' || x.aim ORDER BY x.place_code || '|' || x.aim) AS pairs
FROM spread x
JOIN partners p ON p.partner_id = x.partner_id
WHERE list_contains(CAST($cells AS VARCHAR[]), x.place_code || '|' || x.aim)
  AND p.name_key <> $partner_key  -- strategy/names.py
GROUP BY p.name, p.sector
ORDER BY shared_pairs DESC, p.name
