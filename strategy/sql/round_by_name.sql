-- A reporting round by name, ignoring case and surrounding spaces.
SELECT round_id, name, deadline, opened_at, opened_by FROM reporting_rounds
WHERE lower(trim(name)) = lower(trim($round_name))
