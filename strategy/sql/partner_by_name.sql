-- A partner organisation by name, ignoring case and surrounding spaces.
SELECT partner_id, name, sector FROM partners WHERE lower(trim(name)) = lower(trim($partner_name))
