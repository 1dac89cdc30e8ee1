UPDATE users
SET role = $role, partner_id = $partner_id, active = $active, updated_at = current_timestamp, updated_by = $actor
WHERE email_key = $email_key
