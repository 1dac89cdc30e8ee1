-- Activities started in each period of an indicator, for the filters (the page sets places and the
-- indicator's aim). A split year 'YYYY/YY' begins on ($year_start_month, $year_start_day), the same
-- boundary the indicator's survey uses; with no start month the periods are calendar years.
WITH selected AS (
    SELECT * FROM filtered_activities($places, $sectors, $aims, $ways, $themes, $partners, $date_from, $date_to, $today)
),
dated AS (
    SELECT activity_key,
           CASE WHEN CAST($year_start_month AS INTEGER) IS NULL THEN year(start_date)
                WHEN start_date >= make_date(year(start_date), CAST($year_start_month AS INTEGER),
                                             CAST($year_start_day AS INTEGER)) THEN year(start_date)
                ELSE year(start_date) - 1
           END AS period_start
    FROM selected
)
SELECT CASE WHEN CAST($year_start_month AS INTEGER) IS NULL THEN CAST(period_start AS VARCHAR)
            ELSE CAST(period_start AS VARCHAR) || '/' || lpad(CAST((period_start + 1) % 100 AS VARCHAR), 2, '0')
       END AS period,
       count(*) AS activities_started
FROM dated
GROUP BY period_start
ORDER BY period_start
