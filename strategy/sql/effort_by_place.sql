-- For each local place: activities that reach it, and its apportioned share of investment and participants
-- (of the part of each activity's run that falls in the period).
WITH selected AS (
    SELECT * FROM filtered_activities($places, $sectors, $aims, $ways, $themes, $partners, $date_from, $date_to, $today)
),
by_place_set AS (
    SELECT place_set, count(*) AS activities, sum(investment_gbp * period_share) AS investment,
           sum(participants * period_share) AS participants
    FROM selected
    GROUP BY place_set
)
SELECT m.code AS place_code,
       sum(s.activities) AS activities,
       coalesce(sum(s.investment * m.share), 0)::DOUBLE AS investment,
       coalesce(sum(s.participants * m.share), 0)::DOUBLE AS participants
FROM by_place_set s
JOIN area_members('place', $places, $place_successors) m ON m.member_key = s.place_set
GROUP BY m.code
