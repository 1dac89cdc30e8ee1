-- One experiment's full record with its lead partner's name.
SELECT e.*, p.name AS lead_partner, pu.group_name AS purpose
FROM experiments e
JOIN partners p ON p.partner_id = e.lead_partner_id
LEFT JOIN purposes pu ON pu.purpose_id = e.purpose_id
WHERE e.experiment_id = $experiment_id
