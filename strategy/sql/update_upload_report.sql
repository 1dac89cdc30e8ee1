-- Store the final report (with its upload_id) on the upload.
UPDATE uploads SET report = $report WHERE upload_id = $upload_id
