-- The Overview tiles: activities, partners, places reached, investment and participants.
-- Money and participants are weighted by the place filter and by the part of each run in the period, so they
-- equal the sum over places, and the sum over periods.
WITH selected AS (
    SELECT * FROM filtered_activities($places, $sectors, $aims, $ways, $themes, $partners, $date_from, $date_to, $today)
)
SELECT count(*) AS activities,
       count(DISTINCT partner_id) AS partners,
       (SELECT count(DISTINCT m.code) FROM area_members('place', $places, $place_successors) m
         WHERE m.member_key IN (SELECT place_set FROM selected)) AS places_reached,
       coalesce(sum(investment_gbp * weight), 0)::DOUBLE AS investment,
       coalesce(sum(participants * weight), 0)::DOUBLE AS participants,
       count(investment_gbp) AS activities_with_investment,
       count(participants) AS activities_with_participants
FROM selected
