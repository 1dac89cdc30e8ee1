-- Whether this sign-in (the same person and identity token) is already in the audit log: a page reload opens a
-- new session but is not a new sign-in.
SELECT count(*) AS entries FROM audit_log WHERE action = 'sign in' AND actor = $actor AND detail = $detail
