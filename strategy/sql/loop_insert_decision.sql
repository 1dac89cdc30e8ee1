-- Record one board decision with the snapshot of its view's headline totals.
INSERT INTO decisions (what, owner, due_date, state, view_page, view_query, experiment_id, reflection_id,
                       decided_on, snapshot_on, snapshot_activities, snapshot_partners, snapshot_places_reached,
                       snapshot_investment, snapshot_participants, recorded_by)
VALUES ($what, $owner, $due_date, 'open', $view_page, $view_query, $experiment_id, $reflection_id, $decided_on,
        $snapshot_on, $activities, $partners, $places_reached, $investment, $participants, $recorded_by)
RETURNING decision_id
