-- A new partner organisation. Keys are max + 1 (the demo loader sets its own keys, so the sequence may lag).
INSERT INTO partners (partner_id, name, sector)
SELECT coalesce(max(partner_id), 0) + 1, $partner_name, $sector FROM partners
RETURNING partner_id
