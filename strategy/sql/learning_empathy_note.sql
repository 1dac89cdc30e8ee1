-- The empathy map a note belongs to (none if the note is already removed).
SELECT map_id FROM empathy_notes WHERE note_id = $note_id
