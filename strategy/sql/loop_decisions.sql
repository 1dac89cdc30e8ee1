-- Board decisions, open ones first (open, in progress, done, dropped), then by date due and when recorded;
-- $states limits the states shown (empty: all). Linked experiment and commitment named.
SELECT d.decision_id, d.what, d.owner, d.due_date, d.state, d.view_page, d.view_query, d.experiment_id,
       e.title AS experiment, d.reflection_id, r.commitment, d.decided_on, d.snapshot_on, d.snapshot_activities,
       d.snapshot_partners, d.snapshot_places_reached, d.snapshot_investment, d.snapshot_participants,
       d.recorded_by, d.recorded_at, d.state_changed_by, d.state_changed_at
FROM decisions d
LEFT JOIN experiments e ON e.experiment_id = d.experiment_id
LEFT JOIN reflections r ON r.reflection_id = d.reflection_id
WHERE len(CAST($states AS VARCHAR[])) = 0 OR list_contains(CAST($states AS VARCHAR[]), d.state)
ORDER BY CASE d.state WHEN 'open' THEN 0 WHEN 'in_progress' THEN 1 WHEN 'done' THEN 2 ELSE 3 END,
         d.due_date NULLS LAST, d.decision_id
