"""The list of activities behind a heatmap cell adds up to the cell, whatever the filters, cut or empty."""

from collections import defaultdict
from datetime import date

import pytest

from strategy import analysis, db
from strategy.filters import Filters
from tests.conftest import DEMO_TODAY

MANSFIELD, BOLSOVER = "E07000174", "E07000033"


def run_days(start: date, end: date | None, today: date) -> tuple[date, date]:
    """An activity's run as the rule states it: start to end, both inclusive; no end date runs up to today."""
    return start, end if end is not None else max(start, today)


def days_in(start: date, end: date | None, period_from: date, period_to: date, today: date) -> float:
    """The share of an activity's run inside [period_from, period_to]: days in both / days in the run."""
    first, last = run_days(start, end, today)
    overlap = (min(last, period_to) - max(first, period_from)).days + 1
    return max(overlap, 0) / ((last - first).days + 1)


def raw_activities(con) -> list[tuple]:
    return con.execute(
        "SELECT activity_key, start_date, end_date, investment_gbp::DOUBLE, participants::DOUBLE "
        "FROM activities WHERE replaced_by_upload IS NULL"
    ).fetchall()


def year(y: int) -> Filters:
    return Filters(date_from=date(y, 1, 1), date_to=date(y, 12, 31))


@pytest.mark.parametrize(
    "filters, rows, row_code, columns, column_code",
    [
        (Filters(places=(MANSFIELD,)), "aim", "A1", "way", "W2"),
        (
            Filters(places=(MANSFIELD,), date_from=date(2024, 1, 1), date_to=date(2024, 12, 31)),
            "aim",
            "A1",
            "way",
            "W2",
        ),
        (
            Filters(places=("E10000024",), date_from=date(2023, 4, 1), date_to=date(2025, 3, 31)),
            "place",
            MANSFIELD,
            "aim",
            "A4",
        ),
        (Filters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)), "sector", "sport", "aim", "A1"),
        (Filters(places=(BOLSOVER, MANSFIELD), date_from=date(2022, 1, 1)), "theme", "T1", "aim", "A1"),
    ],
)
def test_the_list_behind_a_cell_adds_up_to_the_cell(demo_con, framework, filters, rows, row_code, columns, column_code):
    cell = (
        analysis.heatmap(demo_con, framework, filters, rows, columns)
        .set_index(["row_code", "column_code"])
        .loc[(row_code, column_code)]
    )
    behind = analysis.activities_in_cell(demo_con, framework, filters, rows, row_code, columns, column_code)
    total = analysis.cell_total(behind)
    assert 0 < len(behind) < analysis.CELL_ROWS_SHOWN
    assert total["activities"] == cell.activities == len(behind)
    assert behind.investment_in_cell.sum() == pytest.approx(cell.investment)
    assert behind.participants_in_cell.sum() == pytest.approx(cell.participants)
    assert total["investment"] == pytest.approx(cell.investment)
    assert total["participants"] == pytest.approx(cell.participants)
    assert total["investment_whole"] == pytest.approx(behind.investment_gbp.astype(float).sum())
    # Each row's share, worked out here: its place share (population) x the part of its run in the period.
    shares = _independent_cell_shares(demo_con, framework, filters, rows, row_code, columns, column_code)
    for row in behind.itertuples():
        assert row.share_in_cell == pytest.approx(shares[row.activity_id]), row.activity_id


def _independent_cell_shares(con, framework, filters, rows, row_code, columns, column_code) -> dict[str, float]:
    population = dict(con.execute("SELECT code, population FROM places").fetchall())
    places_of = defaultdict(list)
    for key, code in con.execute("SELECT activity_key, place_code FROM activity_places").fetchall():
        places_of[key].append(code)
    chosen = set(filters.local_places(framework))
    cell_places = {row_code} if rows == "place" else {column_code} if columns == "place" else chosen
    shares = {}
    for key, activity_id, start, end in con.execute(
        "SELECT activity_key, activity_id, start_date, end_date FROM activities WHERE replaced_by_upload IS NULL"
    ).fetchall():
        reached = places_of[key]
        whole = sum(population[p] for p in reached)
        place_share = 1.0 if not cell_places else sum(population[p] for p in reached if p in cell_places) / whole
        period_share = days_in(start, end, filters.date_from or date.min, filters.date_to or date.max, DEMO_TODAY)
        shares[activity_id] = place_share * period_share
    return shares


def test_a_cut_list_still_totals_the_whole_cell(demo_db_copy, framework):
    con = db.connect(demo_db_copy)
    for copy in (1, 2):  # three of every activity, so the largest cells hold more than can be listed
        con.execute(
            "INSERT INTO activities SELECT * REPLACE (activity_key + ? AS activity_key, "
            "activity_id || ? AS activity_id) FROM activities WHERE replaced_by_upload IS NULL "
            "AND activity_key < 100000",
            [copy * 100_000, f"-copy{copy}"],
        )
    filters = Filters(date_from=date(2023, 1, 1), date_to=date(2025, 12, 31))
    cells = analysis.heatmap(con, framework, filters, "sector", "aim")
    big = cells.sort_values("activities").iloc[-1]
    assert big.activities > analysis.CELL_ROWS_SHOWN
    behind = analysis.activities_in_cell(con, framework, filters, "sector", big.row_code, "aim", big.column_code)
    total = analysis.cell_total(behind)
    assert len(behind) == total["shown"] == analysis.CELL_ROWS_SHOWN
    assert total["activities"] == big.activities
    assert total["investment"] == pytest.approx(big.investment)
    assert total["participants"] == pytest.approx(big.participants)
    assert behind.investment_in_cell.sum() < total["investment"]
    con.close()


def test_an_empty_cell_totals_zero(empty_con, framework):
    behind = analysis.activities_in_cell(empty_con, framework, Filters(), "aim", "A1", "way", "W2")
    assert analysis.cell_total(behind) == {
        "activities": 0,
        "shown": 0,
        "investment": 0.0,
        "participants": 0.0,
        "investment_whole": 0.0,
        "participants_whole": 0.0,
    }
