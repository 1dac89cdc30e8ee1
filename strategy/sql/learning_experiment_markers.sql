-- Experiments to mark on indicator trend charts: within the place, aim and partner filters, and watching the
-- given indicator when $indicator_id is not NULL.
SELECT e.experiment_id, e.title, e.status, e.start_date, e.review_date, e.places, e.aims, e.indicators,
       p.name AS lead_partner
FROM experiments e
JOIN partners p ON p.partner_id = e.lead_partner_id
WHERE (len(CAST($places AS VARCHAR[])) = 0 OR list_has_any(e.places, CAST($places AS VARCHAR[])))
  AND (len(CAST($aims AS VARCHAR[])) = 0 OR list_has_any(e.aims, CAST($aims AS VARCHAR[])))
  AND (len(CAST($partners AS VARCHAR[])) = 0 OR list_contains(CAST($partner_keys AS VARCHAR[]), p.name_key)
       OR e.experiment_id IN (SELECT record_id FROM involvements
                              WHERE record_kind = 'experiment' AND list_contains(CAST($partners AS VARCHAR[]), name)))
  AND (CAST($indicator_id AS VARCHAR) IS NULL OR list_contains(e.indicators, CAST($indicator_id AS VARCHAR)))
ORDER BY e.start_date, e.experiment_id
