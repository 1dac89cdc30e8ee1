-- Every note of one empathy map, quadrant by quadrant in the workshop's order, oldest first.
SELECT note_id, quadrant, text, source, is_quote, pinned_aims, pinned_places, created_by, created_at
FROM empathy_notes
WHERE map_id = $map_id
ORDER BY list_position(['see', 'hear', 'think_feel', 'do_expect'], quadrant), created_at, note_id
