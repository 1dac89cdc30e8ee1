-- Commitments in the learning log the filters select (same rules as learning_reflections), with their state on
-- $today: 'past its date' (not kept and due before today), 'open', or 'kept'. Most urgent first.
SELECT r.reflection_id, r.commitment, r.owner, r.due_date, r.done_on, r.author, r.heading, r.reflected_on,
       pu.group_name AS purpose, e.title AS experiment, r.aims, r.places,
       CASE WHEN r.done_on IS NOT NULL THEN 'kept'
            WHEN r.due_date < CAST($today AS DATE) THEN 'past its date'
            ELSE 'open' END AS state,
       CASE WHEN r.done_on IS NULL AND r.due_date < CAST($today AS DATE)
            THEN CAST($today AS DATE) - r.due_date END AS days_past
FROM reflections r
LEFT JOIN purposes pu ON pu.purpose_id = r.purpose_id
LEFT JOIN experiments e ON e.experiment_id = r.experiment_id
WHERE r.commitment IS NOT NULL
  AND (len(CAST($places AS VARCHAR[])) = 0 OR len(r.places) = 0 OR list_has_any(r.places, CAST($places AS VARCHAR[])))
  AND (len(CAST($aims AS VARCHAR[])) = 0 OR len(r.aims) = 0 OR list_has_any(r.aims, CAST($aims AS VARCHAR[])))
  AND (len(CAST($partners AS VARCHAR[])) = 0
       OR list_contains(CAST($partners AS VARCHAR[]), r.owner) OR list_contains(CAST($partners AS VARCHAR[]), r.author)
       OR r.purpose_id IN (SELECT record_id FROM involvements WHERE record_kind = 'purpose'
                           AND list_contains(CAST($partners AS VARCHAR[]), name))
       OR r.experiment_id IN (SELECT record_id FROM involvements WHERE record_kind = 'experiment'
                              AND list_contains(CAST($partners AS VARCHAR[]), name))
       OR r.experiment_id IN (SELECT experiment_id FROM experiments x JOIN partners p ON p.partner_id = x.lead_partner_id
                              WHERE list_contains(CAST($partner_keys AS VARCHAR[]), p.name_key)))
ORDER BY CASE WHEN r.done_on IS NOT NULL THEN 2 WHEN r.due_date < CAST($today AS DATE) THEN 0 ELSE 1 END,
         r.due_date, r.reflection_id
