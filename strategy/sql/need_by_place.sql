-- Each local place's need: population, the latest inactive-adults figure (Active Lives, 93015) and IMD scores.
-- No head count of inactive people: the percentage is of adults aged 19 and over, and the only population held
-- for every place is all ages (see docs/indicators.md, "No head count of inactive people").
-- Places that still existed on $day (NULL: today).
WITH latest_inactive AS (
    SELECT place_code, arg_max(value, period) AS inactive_pct, max(period) AS inactive_period
    FROM current_indicator_values
    WHERE indicator_id = '93015' AND value IS NOT NULL
    GROUP BY place_code
),
imd AS (
    SELECT place_code,
           max(value) FILTER (WHERE indicator_id = 'IMD2019_SCORE') AS imd2019_score,
           max(value) FILTER (WHERE indicator_id = 'IMD2025_SCORE') AS imd2025_score
    FROM current_indicator_values
    GROUP BY place_code
)
SELECT p.code AS place_code, p.name AS place_name, p.parent, p.population, p.lat, p.lon,
       i.inactive_pct, i.inactive_period,
       imd.imd2019_score, imd.imd2025_score
FROM places p
LEFT JOIN latest_inactive i ON i.place_code = p.code
LEFT JOIN imd ON imd.place_code = p.code
WHERE p.level IN ('district', 'unitary')
  AND (p.valid_to IS NULL OR p.valid_to >= coalesce(CAST($day AS DATE), current_date))
ORDER BY p.name
