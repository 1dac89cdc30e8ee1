"""The counting rules a board must be able to trust (README's counting rules)."""

import pytest

from strategy import analysis, db
from strategy.filters import Filters


def test_county_wide_activity_counts_once_in_totals(small_con, framework):
    totals = analysis.headline_totals(small_con, framework, Filters())
    assert totals["activities"] == 3
    assert totals["investment"] == pytest.approx(9500)
    assert totals["participants"] == pytest.approx(840)
    assert totals["places_reached"] == 9  # 8 Derbyshire districts + Mansfield


def test_county_wide_money_is_apportioned_by_population_and_sums_back(small_con, framework):
    by_place = db.query(small_con, "effort_by_place", **Filters().sql_parameters(framework)).set_index("place_code")
    assert by_place.investment.sum() == pytest.approx(9500)
    populations = db.query(small_con, "need_by_place", day=None).set_index("place_code").population
    derbyshire = list(framework.places_within("E10000007"))
    share = populations["E07000032"] / populations[derbyshire].sum()
    assert by_place.investment["E07000032"] == pytest.approx(8000 * share)


def test_totals_reconcile_across_views(small_con, framework):
    filters = Filters()
    total = analysis.headline_totals(small_con, framework, filters)["investment"]
    by_place = analysis.need_vs_effort(small_con, framework, filters).investment.sum()
    place_rows = analysis.heatmap(small_con, framework, filters, "place", "sector").investment.sum()
    assert by_place == pytest.approx(total)
    assert place_rows == pytest.approx(total)  # each activity has one sector, so place x sector partitions money


def test_choosing_a_county_includes_its_districts(small_con, framework):
    county = analysis.headline_totals(small_con, framework, Filters(places=("E10000024",)))
    assert county["activities"] == 2  # the Mansfield activities; the Derbyshire-wide one is not in Notts
    mansfield_share_of_pair = (
        db.query(small_con, "need_by_place", day=None)
        .set_index("place_code")
        .population.pipe(lambda p: p["E07000174"] / (p["E07000174"] + p["E07000033"]))
    )
    assert county["investment"] == pytest.approx(500 + 1000 * mansfield_share_of_pair)


def test_place_filter_gives_each_place_its_share_not_the_whole(small_con, framework):
    bolsover = analysis.headline_totals(small_con, framework, Filters(places=("E07000033",)))
    derbyshire = analysis.headline_totals(small_con, framework, Filters(places=("E10000007",)))
    assert bolsover["investment"] < derbyshire["investment"] < 9500
    assert derbyshire["activities"] == 2


def test_heatmap_counts_an_activity_in_every_cell_it_names(small_con, framework):
    cells = analysis.heatmap(small_con, framework, Filters(), "aim", "way").set_index(["row_code", "column_code"])
    assert cells.loc[("A1", "W2"), "activities"] == 1
    assert cells.loc[("A4", "W2"), "activities"] == 1
    assert cells.loc[("A3", "W2"), "activities"] == 1 and cells.loc[("A3", "W4"), "activities"] == 1
    assert cells.loc[("A5", "W1"), "activities"] == 0
    assert len(cells) == 5 * 6  # every cell present, zeros included


def test_period_filter_keeps_activities_running_in_it(small_con, framework):
    in_2023 = Filters(
        date_from=__import__("datetime").date(2023, 6, 1), date_to=__import__("datetime").date(2023, 6, 30)
    )
    assert analysis.headline_totals(small_con, framework, in_2023)["activities"] == 1


@pytest.mark.parametrize(
    "field, value, expected",
    [
        ("sectors", ("young_people_education",), 2),
        ("aims", ("A2", "A3"), 2),
        ("ways", ("W4",), 1),
        ("themes", ("T1",), 1),
        ("partners", ("Walk Derbyshire",), 1),
        ("aims", ("A5",), 0),
    ],
)
def test_each_filter_narrows_the_activities(small_con, framework, field, value, expected):
    filters = Filters(**{field: value})
    assert analysis.headline_totals(small_con, framework, filters)["activities"] == expected


def test_activities_behind_a_cell_are_the_cells_count(small_con, framework):
    behind = analysis.activities_in_cell(small_con, framework, Filters(), "aim", "A3", "way", "W4")
    assert behind.activity_id.tolist() == ["PAIR-1"]
    assert behind.places[0] == "Bolsover, Mansfield"


def test_an_empty_database_gives_zeros_not_errors(empty_con, framework):
    totals = analysis.headline_totals(empty_con, framework, Filters())
    assert totals["activities"] == 0 and totals["investment"] == 0
    assert analysis.heatmap(empty_con, framework, Filters()).activities.sum() == 0
    assert (
        analysis.heatmap_summary(analysis.heatmap(empty_con, framework, Filters()), "activities")
        == "No activities match these filters."
    )


@pytest.mark.parametrize(
    "rows, row_code, columns, column_code",
    [
        ("aim", "A3", "way", "W4"),
        ("place", "E07000033", "aim", "A1"),
        ("sector", "sport", "theme", "T1"),
        ("theme", "T2", "aim", "A5"),
    ],
)
def test_drill_down_finds_the_same_activities_as_the_bridge_tables(
    demo_con, framework, rows, row_code, columns, column_code
):
    expected = demo_con.execute(
        "SELECT count(*) FROM activities a WHERE a.replaced_by_upload IS NULL "
        "AND a.activity_key IN (SELECT activity_key FROM activity_dimensions WHERE dimension = ? AND code = ?) "
        "AND a.activity_key IN (SELECT activity_key FROM activity_dimensions WHERE dimension = ? AND code = ?)",
        [rows, row_code, columns, column_code],
    ).fetchall()[0][0]
    behind = analysis.activities_in_cell(demo_con, framework, Filters(), rows, row_code, columns, column_code)
    assert 0 < expected < 500 and len(behind) == expected
