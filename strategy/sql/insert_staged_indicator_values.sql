-- The validated values of one upload, from the registered frame staged_indicator_values.
INSERT INTO indicator_values (indicator_id, place_code, period, value, lower_ci, upper_ci, count, denominator,
                              source, upload_id, value_note, published_comparison, published_trend)
SELECT indicator_id, place_code, period, value, lower_ci, upper_ci, count, denominator, source, upload_id, value_note,
       published_comparison, published_trend
FROM staged_indicator_values
