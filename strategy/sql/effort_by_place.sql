-- For each local place: activities that reach it, and its apportioned share of investment and participants.
WITH selected AS (
    SELECT * FROM filtered_activities($places, $sectors, $aims, $ways, $themes, $partners, $date_from, $date_to)
)
SELECT ap.place_code,
       count(*) AS activities,
       coalesce(sum(s.investment_gbp * ap.share), 0)::DOUBLE AS investment,
       coalesce(sum(s.participants * ap.share), 0)::DOUBLE AS participants
FROM selected s
JOIN activity_places ap USING (activity_key)
WHERE len(CAST($places AS VARCHAR[])) = 0 OR list_contains(CAST($places AS VARCHAR[]), ap.place_code)
GROUP BY ap.place_code
