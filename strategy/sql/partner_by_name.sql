-- A partner organisation by name: its key (strategy/names.py) equals the bound key. The oldest if a database
-- made before the keys existed holds two names with one key.
SELECT partner_id, name, sector FROM partners WHERE name_key = $partner_key ORDER BY partner_id LIMIT 1
