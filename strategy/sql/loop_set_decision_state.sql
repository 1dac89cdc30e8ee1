-- Move a decision to another state, recording who and when.
UPDATE decisions SET state = $state, state_changed_by = $changed_by, state_changed_at = current_timestamp
WHERE decision_id = $decision_id
RETURNING decision_id
