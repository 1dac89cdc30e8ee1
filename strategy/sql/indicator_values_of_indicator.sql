-- Every current value of one indicator, in every place that has one, with the place's name and level and the
-- publisher's own comparison with England and recent trend where known.
SELECT v.indicator_id, v.place_code, coalesce(p.name, v.place_code) AS place_name, p.level AS place_level,
       v.period, v.value, v.lower_ci, v.upper_ci, v.count, v.denominator, v.value_note, v.source, v.upload_id,
       v.published_comparison, v.published_trend
FROM current_indicator_values v
LEFT JOIN places p ON p.code = v.place_code
WHERE v.indicator_id = $indicator_id
