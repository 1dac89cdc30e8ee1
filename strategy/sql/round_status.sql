-- Each expected partner's return in a round: returned = at least one activity upload by that partner, made after
-- the round opened and still loaded (not rolled back); otherwise late once $today is after the deadline, else
-- not started. Optionally one partner only.
WITH returns AS (
    SELECT u.partner_id, max(u.uploaded_at) AS returned_at, arg_max(u.upload_id, u.uploaded_at) AS upload_id,
           arg_max(u.uploaded_by, u.uploaded_at) AS returned_by, count(*) AS uploads
    FROM uploads u, reporting_rounds r
    WHERE r.round_id = $round_id AND u.kind = 'activities' AND u.status = 'loaded' AND u.uploaded_at >= r.opened_at
    GROUP BY u.partner_id
)
SELECT p.name AS partner,
       CASE WHEN x.partner_id IS NOT NULL THEN 'returned'
            WHEN CAST($today AS DATE) > r.deadline THEN 'late'
            ELSE 'not started' END AS status,
       x.returned_at, x.returned_by, x.upload_id, coalesce(x.uploads, 0) AS uploads,
       (SELECT count(*) FROM activities a WHERE a.partner_id = p.partner_id AND a.replaced_by_upload IS NULL
          AND NOT a.is_experiment) AS current_activities
FROM reporting_rounds r
JOIN round_partners rp USING (round_id)
JOIN partners p ON p.partner_id = rp.partner_id
LEFT JOIN returns x ON x.partner_id = rp.partner_id
WHERE r.round_id = $round_id
  AND (CAST($partner_key AS VARCHAR) IS NULL OR p.name_key = CAST($partner_key AS VARCHAR))  -- strategy/names.py
ORDER BY CASE status WHEN 'late' THEN 0 WHEN 'not started' THEN 1 ELSE 2 END, p.name
