-- Record an indicator upload with the original bytes; returns its upload_id.
INSERT INTO uploads (kind, uploaded_by, file_name, sha256, encoding, delimiter, rows_read, rows_loaded,
                     rows_rejected, status, report, original)
VALUES ('indicators', $uploaded_by, $file_name, $sha256, $encoding, $delimiter, $rows_read, $rows_loaded, 0,
        'loaded', $report, $original)
RETURNING upload_id
