-- Experiments the filters select, newest start first. An experiment always names places and aims; the partner
-- filter matches its lead partner or anyone named on it.
SELECT e.experiment_id, e.title, e.hypothesis, e.status, e.decision, e.start_date, e.review_date,
       p.name AS lead_partner, p.sector AS lead_sector, e.purpose_id, pu.group_name AS purpose,
       e.aims, e.ways, e.places, e.indicators, e.working_signals, e.failing_signals, e.learned, e.is_demo,
       e.created_by, e.updated_at,
       (SELECT a.activity_key FROM activities a
         WHERE a.activity_id = 'EXP-' || e.experiment_id AND a.is_experiment AND a.replaced_by_upload IS NULL) AS activity_key
FROM experiments e
JOIN partners p ON p.partner_id = e.lead_partner_id
LEFT JOIN purposes pu ON pu.purpose_id = e.purpose_id
WHERE (len(CAST($places AS VARCHAR[])) = 0 OR list_has_any(e.places, CAST($places AS VARCHAR[])))
  AND (len(CAST($aims AS VARCHAR[])) = 0 OR list_has_any(e.aims, CAST($aims AS VARCHAR[])))
  AND (len(CAST($partners AS VARCHAR[])) = 0 OR list_contains(CAST($partner_keys AS VARCHAR[]), p.name_key)
       OR e.experiment_id IN (SELECT record_id FROM involvements
                              WHERE record_kind = 'experiment' AND list_contains(CAST($partners AS VARCHAR[]), name)))
ORDER BY e.start_date DESC, e.experiment_id DESC
