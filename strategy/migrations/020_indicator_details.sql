-- What the trends views need to know about an indicator and a value, and which value is current.

-- headline: shown as a tile on the Overview and Places pages.
-- year_starts: 'MM-DD' on which a split-year period such as '2015/16' begins (Active Lives adults: mid-November);
--   NULL when periods are calendar years. Used to count the partnership's activities in the same periods.
-- display_order: order in pickers and tables.
ALTER TABLE indicators ADD COLUMN headline BOOLEAN DEFAULT false;
ALTER TABLE indicators ADD COLUMN year_starts VARCHAR;
ALTER TABLE indicators ADD COLUMN display_order INTEGER;

-- value_note: the publisher's note on a value (for example 'Suppressed'); the value itself stays NULL.
ALTER TABLE indicator_values ADD COLUMN value_note VARCHAR;

-- One value per indicator, place and period: the latest loaded upload wins over earlier uploads and over the
-- reference files; values of a rolled-back upload drop out.
CREATE VIEW current_indicator_values AS
SELECT v.indicator_id, v.place_code, v.period, v.value, v.lower_ci, v.upper_ci, v.count, v.denominator,
       v.source, v.upload_id, v.value_note
FROM indicator_values v
LEFT JOIN uploads u ON u.upload_id = v.upload_id
WHERE v.upload_id IS NULL OR u.status = 'loaded'
QUALIFY row_number() OVER (PARTITION BY v.indicator_id, v.place_code, v.period
                           ORDER BY v.upload_id DESC NULLS LAST) = 1;
