-- Saved scenarios with this name, ignoring case (a second "Active travel" beside "active travel" would confuse).
SELECT count(*) AS n FROM scenarios WHERE lower(name) = lower($scenario_name)
