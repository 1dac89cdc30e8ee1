-- Partner names for the partner filter, with how many current activities each has.
SELECT p.name, p.sector, count(a.activity_key) AS activities
FROM partners p
LEFT JOIN activities a ON a.partner_id = p.partner_id AND a.replaced_by_upload IS NULL
GROUP BY p.name, p.sector
ORDER BY p.name
