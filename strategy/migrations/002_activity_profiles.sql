-- Derived, per activity, from its bridge tables so that the heatmaps read one table instead of joining
-- three (see docs/benchmarks.md): which aims, ways and themes it names as bit masks (bit n for code
-- A<n>/W<n>/T<n>) and the set of places it reaches as sorted, space-separated GSS codes.
-- Kept in step by strategy/activities.py after every write; never edited by hand.
ALTER TABLE activities ADD COLUMN aim_mask UINTEGER;
ALTER TABLE activities ADD COLUMN way_mask UINTEGER;
ALTER TABLE activities ADD COLUMN theme_mask UINTEGER;
ALTER TABLE activities ADD COLUMN place_set VARCHAR;
