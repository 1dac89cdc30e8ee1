-- Every indicator the dashboard knows, in display order: what it measures, its unit and its polarity.
SELECT indicator_id, name, coalesce(short_name, name) AS short_name, unit, polarity, aim, source, definition,
       coalesce(headline, false) AS headline, year_starts, display_order
FROM indicators
ORDER BY display_order NULLS LAST, indicator_id
