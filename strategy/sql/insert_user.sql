INSERT INTO users (email, role, partner_id, created_by, updated_by)
VALUES ($email, $role, $partner_id, $actor, $actor)
