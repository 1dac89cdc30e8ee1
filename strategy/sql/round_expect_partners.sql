-- The partners a round expects a return from, by partner id.
INSERT INTO round_partners (round_id, partner_id)
SELECT $round_id, partner_id FROM partners WHERE list_contains($partner_ids, partner_id)
