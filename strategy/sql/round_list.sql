-- Every reporting round, newest first, with how many partners it expects and how many have returned (a loaded
-- activity upload made after the round opened).
SELECT r.name, r.deadline, r.opened_at, r.opened_by,
       count(rp.partner_id) AS partners_expected,
       count(rp.partner_id) FILTER (WHERE EXISTS (
           SELECT 1 FROM uploads u WHERE u.partner_id = rp.partner_id AND u.kind = 'activities'
             AND u.status = 'loaded' AND u.uploaded_at >= r.opened_at)) AS returned
FROM reporting_rounds r
LEFT JOIN round_partners rp USING (round_id)
GROUP BY r.round_id, r.name, r.deadline, r.opened_at, r.opened_by
ORDER BY r.opened_at DESC, r.round_id DESC
