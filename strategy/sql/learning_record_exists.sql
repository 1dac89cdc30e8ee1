-- Whether the purpose, experiment or empathy map a form names is still there (a record the page showed may have been
-- removed since). One query for every kind, so no table name is ever put together from text.
SELECT CASE $record_kind
    WHEN 'purpose' THEN EXISTS (SELECT 1 FROM purposes WHERE purpose_id = $record_id)
    WHEN 'experiment' THEN EXISTS (SELECT 1 FROM experiments WHERE experiment_id = $record_id)
    WHEN 'empathy_map' THEN EXISTS (SELECT 1 FROM empathy_maps WHERE map_id = $record_id)
    ELSE false
END AS found
