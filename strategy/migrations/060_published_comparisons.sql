-- The publisher's own verdicts, kept beside the value they were published with.

-- published_comparison: the comparison with England as the publisher gave it (OHID Fingertips' "Better",
--   "Similar", "Worse", ...), stored in the dashboard's words (better, similar, worse, higher, lower, not compared).
--   From the reference file fingertips_compared_to_england.csv, or from a Fingertips download's "Compared to
--   England value or percentiles" column.
-- published_trend: a Fingertips download's "Recent Trend" as published (for example 'decreasing and getting
--   better'), lower case.
ALTER TABLE indicator_values ADD COLUMN published_comparison VARCHAR;
ALTER TABLE indicator_values ADD COLUMN published_trend VARCHAR;

-- As in 020, with the two new columns.
CREATE OR REPLACE VIEW current_indicator_values AS
SELECT v.indicator_id, v.place_code, v.period, v.value, v.lower_ci, v.upper_ci, v.count, v.denominator,
       v.source, v.upload_id, v.value_note, v.published_comparison, v.published_trend
FROM indicator_values v
LEFT JOIN uploads u ON u.upload_id = v.upload_id
WHERE v.upload_id IS NULL OR u.status = 'loaded'
QUALIFY row_number() OVER (PARTITION BY v.indicator_id, v.place_code, v.period
                           ORDER BY v.upload_id DESC NULLS LAST) = 1;
