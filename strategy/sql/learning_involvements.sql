-- Everyone named for one purpose or experiment; an experiment's lead partner comes first as 'involved'.
SELECT NULL::INTEGER AS involvement_id, p.name, p.sector, 'involved' AS role, 'lead partner' AS note, 0 AS sort_order
FROM experiments e JOIN partners p ON p.partner_id = e.lead_partner_id
WHERE $record_kind = 'experiment' AND e.experiment_id = $record_id
UNION ALL
SELECT i.involvement_id, i.name, coalesce(p.sector, i.sector) AS sector, i.role, i.note, 1 AS sort_order
FROM involvements i LEFT JOIN partners p ON p.name = i.name
WHERE i.record_kind = $record_kind AND i.record_id = $record_id
ORDER BY sort_order, role, name
