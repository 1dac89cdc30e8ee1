INSERT INTO users (email, email_key, role, partner_id, created_by, updated_by)
VALUES ($email, $email_key, $role, $partner_id, $actor, $actor)
