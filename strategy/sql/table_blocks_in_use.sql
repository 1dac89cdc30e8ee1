-- The highest block of the database file that holds one table's saved data (segments written at a checkpoint).
SELECT max(greatest(block_id, coalesce(list_max(additional_block_ids), -1))) AS highest_block
FROM pragma_storage_info($table_name)
WHERE persistent
