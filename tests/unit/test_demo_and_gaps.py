"""The demo tells a true story, and the gap views find it."""

from datetime import date

import pytest

from strategy import analysis
from strategy.build.demo import demo_tables
from strategy.filters import Filters
from tests.conftest import DEMO_CURRENT_ACTIVITIES, DEMO_EXPERIMENTS, DEMO_TODAY


def test_demo_is_deterministic(framework):
    first = demo_tables(framework, activities=300, today=DEMO_TODAY)
    second = demo_tables(framework, activities=300, today=DEMO_TODAY)
    for name in first:
        assert first[name].equals(second[name]), name


def test_demo_has_about_80_partners_in_many_sectors_and_covers_all_17_places(demo_con, framework):
    coverage = analysis.data_coverage(demo_con)
    assert coverage["dataset"] == "demo"
    assert coverage["activities"] == DEMO_CURRENT_ACTIVITIES
    assert 70 <= coverage["partners"] <= 80
    assert coverage["first_start"].year == 2021 and coverage["last_start"].date() <= DEMO_TODAY
    totals = analysis.headline_totals(demo_con, framework, Filters())
    assert totals["places_reached"] == 17
    sectors = analysis.heatmap(demo_con, framework, Filters(), "sector", "aim").groupby("row_code").activities.sum()
    assert (sectors > 0).sum() >= 10


def test_demo_under_serves_aim_a3_and_ways_w4_and_w6(demo_con, framework):
    cells = analysis.heatmap(demo_con, framework, Filters(), "aim", "way")
    by_aim = cells.groupby("row_code").activities.sum()
    by_way = cells.groupby("column_code").activities.sum()
    assert by_aim.idxmin() == "A3"
    assert set(by_way.nsmallest(2).index) == {"W4", "W6"}


def test_largest_gap_is_no_activity_for_children_in_bolsover(demo_con, framework):
    gaps = analysis.gaps(demo_con, framework, Filters(), year=2025)
    first = gaps.iloc[0]
    assert (first.place, first.aim_code, first.kind) == ("Bolsover", "A2", "none")
    assert first.reason.startswith(
        "No activity in Bolsover addresses aim A2 Enabling children and young people in 2025"
    )


def test_gaps_are_judged_in_the_filters_year(demo_con, framework):
    assert analysis.gap_year(Filters(date_to=date(2024, 3, 1))) == 2024
    gaps_2022 = analysis.gaps(demo_con, framework, Filters(date_to=date(2022, 12, 31)))
    assert (gaps_2022.year == 2022).all()
    assert not ((gaps_2022.place == "Bolsover") & (gaps_2022.aim_code == "A2") & (gaps_2022.kind == "none")).any()


def test_need_vs_effort_flags_high_need_places_with_low_investment(demo_con, framework):
    table = analysis.need_vs_effort(demo_con, framework, Filters()).set_index("place_name")
    flagged = table[table.high_need_low_effort]
    assert "Bolsover" in flagged.index and "Mansfield" in flagged.index
    assert (flagged.inactive_pct > table.inactive_pct.median()).all()
    assert (flagged.investment_per_head < table.investment_per_head.median()).all()
    assert table.inactive_pct.notna().all()  # every area has a real Active Lives figure


def test_need_uses_real_reference_figures(demo_con):
    need = analysis.need_by_place(demo_con).set_index("place_name")
    # OHID Fingertips 93015, 2024/25, and ONS mid-2022 population (data/reference/).
    assert need.loc["Bolsover", "inactive_period"] == "2024/25"
    assert need.loc["Mansfield", "population"] == pytest.approx(111_000, rel=0.05)


def test_demo_experiments_are_counted_as_activities_tagged_as_experiments(demo_con):
    tagged = demo_con.execute("SELECT count(*) FROM activities WHERE is_experiment AND replaced_by_upload IS NULL")
    assert tagged.fetchall()[0][0] == DEMO_EXPERIMENTS
