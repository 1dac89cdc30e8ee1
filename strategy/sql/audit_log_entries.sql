-- The audit log, newest first: who, when, what, from which upload. $action and $actor filter when not NULL.
SELECT audit_id, logged_at, actor, action, detail, upload_id
FROM audit_log
WHERE ($action IS NULL OR action = $action)
  AND ($actor IS NULL OR actor = $actor)  -- bound as the email key (strategy/names.py)
ORDER BY audit_id DESC
LIMIT $limit
