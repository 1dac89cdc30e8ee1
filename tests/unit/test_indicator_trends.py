"""Indicator trends: the activity timeline uses the survey's years, headline tiles, and missing values stay missing."""

from datetime import date

import pandas as pd
import pytest

from strategy.filters import Filters
from strategy.indicators import trends as indicator_trends
from strategy.indicators.trend_charts import trend_figure


def _survey_year(day: date, month: int, first_day: int) -> str:
    start = day.year if (day.month, day.day) >= (month, first_day) else day.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


def test_activities_are_counted_in_active_lives_years_from_mid_november(demo_con, framework):
    found = indicator_trends.activity_timeline(demo_con, framework, Filters(), "93015", ("E07000174",))
    activities = demo_con.execute("""
        SELECT DISTINCT a.activity_key, a.start_date FROM activities a
        JOIN activity_places p USING (activity_key) JOIN activity_aims m USING (activity_key)
        WHERE a.replaced_by_upload IS NULL AND p.place_code = 'E07000174' AND m.aim = 'A3'""").df()
    expected = activities.start_date.map(lambda d: _survey_year(d, 11, 16)).value_counts().sort_index()
    assert found.set_index("period").activities_started.to_dict() == expected.to_dict()
    assert found.activities_started.sum() > 0


def test_childrens_indicator_counts_activities_in_school_years(demo_con, framework):
    found = indicator_trends.activity_timeline(demo_con, framework, Filters(), "93570", ())
    activities = demo_con.execute("""
        SELECT DISTINCT a.activity_key, a.start_date FROM activities a JOIN activity_aims m USING (activity_key)
        WHERE a.replaced_by_upload IS NULL AND m.aim = 'A2'""").df()
    expected = activities.start_date.map(lambda d: _survey_year(d, 9, 1)).value_counts().sort_index()
    assert found.set_index("period").activities_started.to_dict() == expected.to_dict()


def test_headline_tiles_describe_the_one_filtered_place_else_england(demo_con, framework):
    mansfield = indicator_trends.headline_indicators(demo_con, framework, Filters(places=("E07000174",)))
    assert set(mansfield.indicator_id) == {"93014", "93015", "93570"}
    assert set(mansfield.place_name) == {"Mansfield"}
    inactive = mansfield.set_index("indicator_id").loc["93015"]
    assert inactive.period == "2024/25"
    assert inactive.previous_period == "2023/24"
    everywhere = indicator_trends.headline_indicators(demo_con, framework, Filters())
    assert set(everywhere.place_name) == {"England"}


def test_a_missing_year_is_a_gap_in_the_line_never_a_zero(demo_con, framework):
    assessed = indicator_trends.assess_indicator(demo_con, framework, "93570")
    dales = assessed[assessed.place_code.isin(["E07000035", framework.benchmark])]
    fig = trend_figure(
        dales, pd.DataFrame({"period": [], "activities_started": []}), "t", "s", "%", framework.benchmark, "Activities"
    )
    line = next(t for t in fig.data if t.name == "Derbyshire Dales")
    values = dict(zip(line.x, line.y))
    assert pd.isna(values["2019/20"])  # suppressed in the source: no row, so a gap
    assert all(v != 0 for v in line.y if not pd.isna(v))


def test_all_real_active_lives_series_cover_every_place(demo_con, framework):
    codes = {p.code for p in framework.local_places()} | {framework.benchmark}
    for indicator in ("93014", "93015"):
        assessed = indicator_trends.assess_indicator(demo_con, framework, indicator)
        assert set(assessed.place_code) == codes
        assert indicator_trends.latest_period(assessed) == "2024/25"


def test_headline_tiles_depend_only_on_the_place_they_describe(demo_con, framework):
    """The Overview's headline tiles are cached by that place alone; this is what makes it right."""
    cases = [
        (Filters(places=("E07000174",), aims=("A2",), sectors=("sport",)), Filters(places=("E07000174",))),
        (Filters(places=("E10000007",), aims=("A1",)), Filters()),
        (Filters(themes=("T3",), date_from=date(2025, 1, 1)), Filters()),
    ]
    for filters, place_only in cases:
        shown = indicator_trends.headline_indicators(demo_con, framework, filters)
        assert not shown.empty
        pd.testing.assert_frame_equal(shown, indicator_trends.headline_indicators(demo_con, framework, place_only))


@pytest.mark.slow
def test_every_place_at_once_gives_each_place_exactly_its_own_headline_rows(demo_con, framework):
    """The Overview reads each place's tiles from one table of every place (computed once, shared by sessions)."""
    every_place = indicator_trends.headline_indicators_by_place(demo_con, framework)
    codes = [place.code for place in framework.local_places()] + [framework.benchmark]
    assert set(every_place.place_code) == set(codes)
    for code in codes:
        alone = indicator_trends.headline_indicators(
            demo_con, framework, Filters() if code == framework.benchmark else Filters(places=(code,))
        )
        assert not alone.empty
        pd.testing.assert_frame_equal(every_place[every_place.place_code == code].reset_index(drop=True), alone)
