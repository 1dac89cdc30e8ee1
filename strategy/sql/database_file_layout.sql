-- The open database's block size and the highest block its catalogue (metadata) uses: with the highest block the
-- tables use (table_blocks_in_use.sql), the least size its file on disk can have.
SELECT (SELECT block_size FROM pragma_database_size() WHERE database_name = current_database()) AS block_size,
       (SELECT max(block_id) FROM pragma_metadata_info()) AS highest_metadata_block
