-- What a checked return (the temporary table typed) changes for the partner, activity by activity, matched by
-- activity id against the partner's current activities:
--   new       - an id the partner has no current activity with;
--   ended     - the return gives an end date before $today and the stored version was still running (no end date,
--               or one on or after $today);
--   changed   - any other difference in what is stored (what_changed names the columns);
--   unchanged - exactly what is stored;
--   not in this return - a current activity the return leaves out: kept as it is, not deleted and not ended.
WITH stored AS (
    -- no target groups may be stored as NULL or as an empty list: both mean none
    SELECT a.* REPLACE (CASE WHEN len(a.target_groups) > 0 THEN a.target_groups END AS target_groups)
    FROM activities a JOIN partners p USING (partner_id)
    WHERE lower(trim(p.name)) = lower(trim($partner)) AND a.replaced_by_upload IS NULL AND NOT a.is_experiment
),
returned AS (
    SELECT t.row_number, t.activity_id, t.title, t.description, t.sector, t.start_date, t.end_date, t.status,
           CAST(t.participants_number AS BIGINT) AS participants,
           CAST(round(CAST(t.investment_number AS DECIMAL(18, 6)), 2) AS DECIMAL(14, 2)) AS investment_gbp,
           CASE WHEN len(t.target_groups) > 0 THEN t.target_groups END AS target_groups,
           t.aim_mask, t.way_mask, t.theme_mask, t.place_set
    FROM typed t
),
compared AS (
    SELECT r.row_number, coalesce(r.activity_id, s.activity_id) AS activity_id, coalesce(r.title, s.title) AS title,
           s.activity_key IS NULL AS is_new, r.row_number IS NULL AS left_out,
           r.end_date < CAST($today AS DATE) AND (s.end_date IS NULL OR s.end_date >= CAST($today AS DATE)) AS ends,
           s.end_date AS end_date_before, r.end_date AS end_date_now,
           concat_ws(', ',
               CASE WHEN r.title IS DISTINCT FROM s.title THEN 'title' END,
               CASE WHEN r.description IS DISTINCT FROM s.description THEN 'description' END,
               CASE WHEN r.sector IS DISTINCT FROM s.sector THEN 'sector' END,
               CASE WHEN r.place_set IS DISTINCT FROM s.place_set THEN 'places' END,
               CASE WHEN r.aim_mask IS DISTINCT FROM s.aim_mask THEN 'aims' END,
               CASE WHEN r.way_mask IS DISTINCT FROM s.way_mask THEN 'ways of working' END,
               CASE WHEN r.theme_mask IS DISTINCT FROM s.theme_mask THEN 'themes' END,
               CASE WHEN r.start_date IS DISTINCT FROM s.start_date THEN 'start date' END,
               CASE WHEN r.end_date IS DISTINCT FROM s.end_date THEN 'end date' END,
               CASE WHEN r.status IS DISTINCT FROM s.status THEN 'status' END,
               CASE WHEN r.participants IS DISTINCT FROM s.participants THEN 'participants' END,
               CASE WHEN r.investment_gbp IS DISTINCT FROM s.investment_gbp THEN 'investment' END,
               CASE WHEN r.target_groups IS DISTINCT FROM s.target_groups THEN 'target groups' END) AS differences
    FROM returned r FULL OUTER JOIN stored s ON s.activity_id = r.activity_id
)
SELECT CASE WHEN is_new THEN 'new' WHEN left_out THEN 'not in this return' WHEN ends THEN 'ended'
            WHEN differences <> '' THEN 'changed' ELSE 'unchanged' END AS change,
       activity_id, title,
       CASE WHEN is_new OR left_out THEN '' ELSE differences END AS what_changed,
       end_date_before, end_date_now, row_number AS "row"
FROM compared
ORDER BY CASE change WHEN 'new' THEN 0 WHEN 'ended' THEN 1 WHEN 'changed' THEN 2 WHEN 'not in this return' THEN 3
                     ELSE 4 END, "row" NULLS LAST, activity_id
