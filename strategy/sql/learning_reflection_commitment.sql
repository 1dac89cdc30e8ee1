-- The commitment a reflection made (none if there is no such reflection).
SELECT commitment FROM reflections WHERE reflection_id = $reflection_id
