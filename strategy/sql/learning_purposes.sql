-- Shared purposes the filters select, each with its current (highest) version. A purpose naming no place or
-- no aim is partnership-wide and matches every place or aim filter; the partner filter matches its involvements.
WITH current_version AS (
    SELECT v.* FROM purpose_versions v
    WHERE v.version = (SELECT max(w.version) FROM purpose_versions w WHERE w.purpose_id = v.purpose_id)
)
SELECT p.purpose_id, p.group_name, p.members, p.places, p.aims, p.is_demo, p.created_by, p.created_at,
       c.version, c.what_text, c.why_text, c.benefits_text, c.words, c.written_by, c.written_at
FROM purposes p
LEFT JOIN current_version c USING (purpose_id)
WHERE (len(CAST($places AS VARCHAR[])) = 0 OR len(p.places) = 0 OR list_has_any(p.places, CAST($places AS VARCHAR[])))
  AND (len(CAST($aims AS VARCHAR[])) = 0 OR len(p.aims) = 0 OR list_has_any(p.aims, CAST($aims AS VARCHAR[])))
  AND (len(CAST($partners AS VARCHAR[])) = 0 OR p.purpose_id IN (
        SELECT record_id FROM involvements
        WHERE record_kind = 'purpose' AND list_contains(CAST($partners AS VARCHAR[]), name)))
ORDER BY p.group_name, p.purpose_id
