-- One indicator's values over time for the given places (the benchmark included by the caller), oldest first.
SELECT v.period, v.place_code, pl.name AS place_name, v.value, v.lower_ci, v.upper_ci, i.name AS indicator_name,
       i.unit, i.source
FROM indicator_values v
JOIN places pl ON pl.code = v.place_code
JOIN indicators i USING (indicator_id)
WHERE v.indicator_id = $indicator_id AND list_contains(CAST($place_codes AS VARCHAR[]), v.place_code)
ORDER BY v.period, pl.name
