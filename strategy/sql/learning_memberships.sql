-- Who works on each shared purpose and experiment the filters select: lead partners and everyone named with a
-- linking role ($roles), with the sector from the partner register when the name is a registered partner.
WITH shown_purposes AS (
    SELECT p.purpose_id AS record_id, p.group_name AS record_title FROM purposes p
    WHERE (len(CAST($places AS VARCHAR[])) = 0 OR len(p.places) = 0 OR list_has_any(p.places, CAST($places AS VARCHAR[])))
      AND (len(CAST($aims AS VARCHAR[])) = 0 OR len(p.aims) = 0 OR list_has_any(p.aims, CAST($aims AS VARCHAR[])))
),
shown_experiments AS (
    SELECT e.experiment_id AS record_id, e.title AS record_title, e.lead_partner_id FROM experiments e
    WHERE (len(CAST($places AS VARCHAR[])) = 0 OR len(e.places) = 0 OR list_has_any(e.places, CAST($places AS VARCHAR[])))
      AND (len(CAST($aims AS VARCHAR[])) = 0 OR len(e.aims) = 0 OR list_has_any(e.aims, CAST($aims AS VARCHAR[])))
),
members AS (
    SELECT 'experiment' AS record_kind, s.record_id, s.record_title, p.name, p.sector
    FROM shown_experiments s JOIN partners p ON p.partner_id = s.lead_partner_id
    UNION
    SELECT i.record_kind, s.record_id, s.record_title, i.name, coalesce(p.sector, i.sector)
    FROM involvements i JOIN shown_experiments s ON i.record_kind = 'experiment' AND i.record_id = s.record_id
    LEFT JOIN partners p ON p.name = i.name
    WHERE list_contains(CAST($roles AS VARCHAR[]), i.role)
    UNION
    SELECT i.record_kind, s.record_id, s.record_title, i.name, coalesce(p.sector, i.sector)
    FROM involvements i JOIN shown_purposes s ON i.record_kind = 'purpose' AND i.record_id = s.record_id
    LEFT JOIN partners p ON p.name = i.name
    WHERE list_contains(CAST($roles AS VARCHAR[]), i.role)
)
-- The partner filter keeps the records that partner works on (with everyone on them), not just the partner.
SELECT * FROM members m
WHERE len(CAST($partners AS VARCHAR[])) = 0 OR EXISTS (
    SELECT 1 FROM members o WHERE o.record_kind = m.record_kind AND o.record_id = m.record_id
      AND list_contains(CAST($partners AS VARCHAR[]), o.name))
ORDER BY record_kind, record_id, name
