-- One rule for names and emails (strategy/names.py): each partner and user carries the key the rule gives, and
-- look-ups and uniqueness checks compare keys. The keys are computed in Python (by that one function), so rows
-- written before this migration get theirs from strategy.names.fill_missing_keys, which every migrate runs.
ALTER TABLE partners ADD COLUMN name_key VARCHAR;
ALTER TABLE users ADD COLUMN email_key VARCHAR;
