-- Partner organisations with their sector, current activities and how many users act for them.
SELECT p.name, p.sector,
       (SELECT count(*) FROM activities a WHERE a.partner_id = p.partner_id AND a.replaced_by_upload IS NULL)
           AS activities,
       (SELECT count(*) FROM users u WHERE u.partner_id = p.partner_id AND u.active) AS users
FROM partners p
ORDER BY p.name
