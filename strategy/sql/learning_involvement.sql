-- One name on a purpose or experiment, by its id (none if already removed).
SELECT record_kind, record_id, name FROM involvements WHERE involvement_id = $involvement_id
