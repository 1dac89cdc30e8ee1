-- Every indicator an experiment can watch, by id.
SELECT indicator_id, name FROM indicators ORDER BY indicator_id
