-- A partner's sector: the most common sector of its current activities (ties: the first in name order).
UPDATE partners
SET sector = (SELECT sector FROM activities
              WHERE partner_id = $partner_id AND replaced_by_upload IS NULL
              GROUP BY sector ORDER BY count(*) DESC, sector LIMIT 1)
WHERE partner_id = $partner_id
