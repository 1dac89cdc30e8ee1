-- A new partner organisation with its name's key (strategy/names.py). Keys are max + 1 (the demo loader sets its
-- own keys, so the sequence may lag).
INSERT INTO partners (partner_id, name, name_key, sector)
SELECT coalesce(max(partner_id), 0) + 1, $partner_name, $partner_key, $sector FROM partners
RETURNING partner_id
