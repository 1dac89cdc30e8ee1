-- A new reporting round: its name, deadline and who opened it; its id and when it opened.
INSERT INTO reporting_rounds (name, deadline, opened_by) VALUES ($round_name, $deadline, $opened_by)
RETURNING round_id, opened_at
