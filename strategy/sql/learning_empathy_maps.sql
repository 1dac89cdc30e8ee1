-- Empathy maps the filters select, with their note and quote counts. Partner filter: maps of purposes the partner
-- is named on.
SELECT m.map_id, m.subject, m.subject_kind, m.description, m.purpose_id, pu.group_name AS purpose,
       m.places, m.aims, m.is_demo, m.created_by, m.created_at,
       count(n.note_id) AS notes, count(n.note_id) FILTER (WHERE n.is_quote) AS quotes
FROM empathy_maps m
LEFT JOIN empathy_notes n USING (map_id)
LEFT JOIN purposes pu ON pu.purpose_id = m.purpose_id
WHERE (len(CAST($places AS VARCHAR[])) = 0 OR len(m.places) = 0 OR list_has_any(m.places, CAST($places AS VARCHAR[])))
  AND (len(CAST($aims AS VARCHAR[])) = 0 OR len(m.aims) = 0 OR list_has_any(m.aims, CAST($aims AS VARCHAR[])))
  AND (len(CAST($partners AS VARCHAR[])) = 0 OR m.purpose_id IN (
        SELECT record_id FROM involvements
        WHERE record_kind = 'purpose' AND list_contains(CAST($partners AS VARCHAR[]), name)))
GROUP BY ALL
ORDER BY m.subject, m.map_id
