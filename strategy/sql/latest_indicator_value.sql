-- The latest non-missing value of one indicator in one place.
SELECT period, value, lower_ci, upper_ci
FROM current_indicator_values
WHERE indicator_id = $indicator_id AND place_code = $place_code AND value IS NOT NULL
ORDER BY period DESC
LIMIT 1
