-- The learning log the filters select, newest first. No place or aim named means partnership-wide. The partner
-- filter keeps reflections owned or written by the partner, or on a purpose or experiment the partner is named on.
SELECT r.reflection_id, r.reflected_on, r.kind, r.author, r.heading, r.resonated, r.learned, r.commitment,
       r.owner, r.due_date, r.done_on, r.aims, r.places, r.purpose_id, pu.group_name AS purpose,
       r.experiment_id, e.title AS experiment, r.is_demo, r.created_by
FROM reflections r
LEFT JOIN purposes pu ON pu.purpose_id = r.purpose_id
LEFT JOIN experiments e ON e.experiment_id = r.experiment_id
WHERE (len(CAST($places AS VARCHAR[])) = 0 OR len(r.places) = 0 OR list_has_any(r.places, CAST($places AS VARCHAR[])))
  AND (len(CAST($aims AS VARCHAR[])) = 0 OR len(r.aims) = 0 OR list_has_any(r.aims, CAST($aims AS VARCHAR[])))
  AND (len(CAST($partners AS VARCHAR[])) = 0
       OR list_contains(CAST($partners AS VARCHAR[]), r.owner) OR list_contains(CAST($partners AS VARCHAR[]), r.author)
       OR r.purpose_id IN (SELECT record_id FROM involvements WHERE record_kind = 'purpose'
                           AND list_contains(CAST($partners AS VARCHAR[]), name))
       OR r.experiment_id IN (SELECT record_id FROM involvements WHERE record_kind = 'experiment'
                              AND list_contains(CAST($partners AS VARCHAR[]), name))
       OR r.experiment_id IN (SELECT experiment_id FROM experiments x JOIN partners p ON p.partner_id = x.lead_partner_id
                              WHERE list_contains(CAST($partners AS VARCHAR[]), p.name)))
ORDER BY r.reflected_on DESC, r.reflection_id DESC
