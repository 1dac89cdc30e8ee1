-- A partner's current activities (the partner found by its name key, strategy/names.py) (not the learning workspace's experiments) in the activity file's own terms,
-- with codes: sector code, aim/way/theme codes from the masks and the place set's codes, so a return written from
-- them and uploaded again stores exactly the same activity.
SELECT a.activity_id, a.title, a.description, a.sector, string_split(a.place_set, ' ') AS places,
       mask_codes(a.aim_mask, 'A') AS aims, mask_codes(a.way_mask, 'W') AS ways_of_working,
       mask_codes(a.theme_mask, 'T') AS themes, a.start_date, a.end_date, a.status, a.participants,
       a.investment_gbp, coalesce(a.target_groups, []) AS target_groups
FROM activities a
JOIN partners p USING (partner_id)
WHERE p.name_key = $partner_key AND a.replaced_by_upload IS NULL AND NOT a.is_experiment
ORDER BY a.start_date, a.activity_id
