-- Every current value of one indicator, in every place that has one, with the place's name and level.
SELECT v.indicator_id, v.place_code, coalesce(p.name, v.place_code) AS place_name, p.level AS place_level,
       v.period, v.value, v.lower_ci, v.upper_ci, v.count, v.denominator, v.value_note, v.source, v.upload_id
FROM current_indicator_values v
LEFT JOIN places p ON p.code = v.place_code
WHERE v.indicator_id = $indicator_id
