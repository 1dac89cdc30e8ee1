-- Every saved wording of one shared purpose, newest first.
SELECT version, what_text, why_text, benefits_text, words, written_by, written_at
FROM purpose_versions
WHERE purpose_id = $purpose_id
ORDER BY version DESC
