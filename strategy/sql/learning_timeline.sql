-- What was learned, per aim, in date order: reflections, purpose versions, experiment starts and review decisions.
-- A record naming no aim appears once under aim NULL ('all aims'). Place and aim filters as on the other lists.
WITH events AS (
    SELECT r.reflected_on AS day, 'reflection' AS kind, r.heading AS heading,
           coalesce(nullif(r.learned, ''), nullif(r.resonated, ''), r.commitment) AS text, r.author AS who,
           r.aims, r.places
    FROM reflections r
    UNION ALL
    SELECT CAST(v.written_at AS DATE), 'purpose', 'Shared purpose, version ' || v.version, v.what_text, p.group_name,
           p.aims, p.places
    FROM purpose_versions v JOIN purposes p USING (purpose_id)
    UNION ALL
    SELECT e.start_date, 'experiment started', e.title, e.hypothesis, pa.name, e.aims, e.places
    FROM experiments e JOIN partners pa ON pa.partner_id = e.lead_partner_id
    UNION ALL
    SELECT coalesce(e.review_date, CAST(e.updated_at AS DATE)), 'experiment decision',
           e.title || ': ' || upper(e.decision[1]) || e.decision[2:], coalesce(e.learned, ''), pa.name, e.aims, e.places
    FROM experiments e JOIN partners pa ON pa.partner_id = e.lead_partner_id
    WHERE e.decision IS NOT NULL
)
SELECT day, aim, kind, heading, text, who
FROM events, unnest(CASE WHEN len(aims) = 0 THEN [NULL::VARCHAR] ELSE aims END) AS t(aim)
WHERE (len(CAST($places AS VARCHAR[])) = 0 OR len(places) = 0 OR list_has_any(places, CAST($places AS VARCHAR[])))
  AND (len(CAST($aims AS VARCHAR[])) = 0 OR aim IS NULL OR list_contains(CAST($aims AS VARCHAR[]), aim))
ORDER BY aim NULLS LAST, day, kind
