-- Re-created on every init, after views_and_macros.sql. Places that reorganise (a `successor` in
-- strategy/framework.toml): activities keep the places they were stored with, and a view counts a replaced
-- place's part in its successor from the day the successor took over. `successors` is a list of
-- [replaced place, area it counts in] pairs for the view's day (Filters.sql_parameters: place_successors);
-- when it is empty these macros give exactly what dimension_members() and names_code() give.

-- dimension_members() with each replaced place's share counted in the area that replaced it. Shares of an
-- activity's places that merged are added, so an activity counts once per area and its shares still sum to 1.
CREATE OR REPLACE MACRO area_members(dimension_name, places, successors) AS TABLE
WITH replaced AS (
    SELECT pair[1] AS place_code, pair[2] AS area
    FROM (SELECT unnest(CAST(successors AS VARCHAR[][])) AS pair)
)
SELECT m.member_key, coalesce(r.area, m.code) AS code, sum(m.share) AS share
FROM dimension_members(dimension_name, places) m
LEFT JOIN replaced r ON dimension_name = 'place' AND r.place_code = m.code
GROUP BY ALL;

-- names_code() where a place also stands for the places it replaced: the drill-down's cell test.
CREATE OR REPLACE MACRO names_area(dimension_name, code, aim_mask, way_mask, theme_mask, sector, place_set,
                                   successors) AS
    CASE WHEN dimension_name = 'place'
         THEN list_has_any(string_split(place_set, ' '),
                           list_append(list_transform(list_filter(CAST(successors AS VARCHAR[][]),
                                                                  lambda pair: pair[2] = code),
                                                      lambda pair: pair[1]), code))
         ELSE names_code(dimension_name, code, aim_mask, way_mask, theme_mask, sector, place_set)
    END;
