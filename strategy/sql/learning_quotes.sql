-- Resident quotes to show beside the numbers: pinned to a wanted aim and place (a quote pinned to none speaks
-- for all), and within the page's place and aim filters.
SELECT n.note_id, n.text, n.source, n.pinned_aims, n.pinned_places, m.subject, m.map_id, n.created_at
FROM empathy_notes n
JOIN empathy_maps m USING (map_id)
WHERE n.is_quote
  AND (len(CAST($want_aims AS VARCHAR[])) = 0 OR len(n.pinned_aims) = 0
       OR list_has_any(n.pinned_aims, CAST($want_aims AS VARCHAR[])))
  AND (len(CAST($want_places AS VARCHAR[])) = 0 OR len(n.pinned_places) = 0
       OR list_has_any(n.pinned_places, CAST($want_places AS VARCHAR[])))
  AND (len(CAST($filter_aims AS VARCHAR[])) = 0 OR len(n.pinned_aims) = 0
       OR list_has_any(n.pinned_aims, CAST($filter_aims AS VARCHAR[])))
  AND (len(CAST($filter_places AS VARCHAR[])) = 0 OR len(n.pinned_places) = 0
       OR list_has_any(n.pinned_places, CAST($filter_places AS VARCHAR[])))
  AND (len(n.pinned_aims) > 0 OR len(n.pinned_places) > 0)
ORDER BY n.created_at DESC, n.note_id DESC
LIMIT 20
