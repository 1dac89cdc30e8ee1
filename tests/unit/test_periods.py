"""Money and participants over time: a period counts the part of each activity's run that falls in it, so
per-period figures add up to the total; an activity with no end date runs up to today.
Expected figures are worked out here from the raw activity rows, in plain Python."""

import json
from collections import defaultdict
from datetime import date

import pytest

from strategy import analysis, db, periods
from strategy.__main__ import main
from strategy.filters import Filters
from tests.conftest import DEMO_TODAY, add_activity

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


# --- Per-period figures add up to the total ----------------------------------------------------------------------


def test_yearly_totals_add_up_to_the_all_time_total_on_the_demo(demo_con, framework):
    rows = raw_activities(demo_con)
    first_year = min(r[1] for r in rows).year
    last_year = max(run_days(r[1], r[2], DEMO_TODAY)[1] for r in rows).year
    assert first_year == 2021 and last_year >= 2027
    all_time = analysis.headline_totals(demo_con, framework, Filters(), today=DEMO_TODAY)
    by_year = {}
    for y in range(first_year, last_year + 1):
        totals = analysis.headline_totals(demo_con, framework, year(y), today=DEMO_TODAY)
        expected_money = sum(
            (r[3] or 0) * days_in(r[1], r[2], date(y, 1, 1), date(y, 12, 31), DEMO_TODAY) for r in rows
        )
        expected_people = sum(
            (r[4] or 0) * days_in(r[1], r[2], date(y, 1, 1), date(y, 12, 31), DEMO_TODAY) for r in rows
        )
        expected_running = sum(days_in(r[1], r[2], date(y, 1, 1), date(y, 12, 31), DEMO_TODAY) > 0 for r in rows)
        assert totals["investment"] == pytest.approx(expected_money), y
        assert totals["participants"] == pytest.approx(expected_people), y
        assert totals["activities"] == expected_running, y
        by_year[y] = totals
    assert sum(t["investment"] for t in by_year.values()) == pytest.approx(all_time["investment"])
    assert sum(t["participants"] for t in by_year.values()) == pytest.approx(all_time["participants"])
    assert all_time["investment"] == pytest.approx(sum(r[3] or 0 for r in rows))
    # Counts are activities running in the year, so an activity running over several years counts in each.
    assert sum(t["activities"] for t in by_year.values()) > all_time["activities"]


def test_per_period_figures_add_up_in_every_view(demo_con, framework):
    """Heatmap (place rows), need against effort and the tiles, split at 1 April 2024, add up to the whole."""
    filters = Filters(places=("E10000024",), aims=("A1",))
    before = Filters(places=filters.places, aims=filters.aims, date_to=date(2024, 3, 31))
    after = Filters(places=filters.places, aims=filters.aims, date_from=date(2024, 4, 1))
    whole = analysis.headline_totals(demo_con, framework, filters)["investment"]
    for view in (
        lambda f: analysis.headline_totals(demo_con, framework, f)["investment"],
        lambda f: analysis.heatmap(demo_con, framework, f, "place", "sector").investment.sum(),
        lambda f: analysis.need_vs_effort(demo_con, framework, f).investment.sum(),
    ):
        assert view(before) + view(after) == pytest.approx(whole)
        assert view(filters) == pytest.approx(whole)


def test_the_731000_example(writable_con, framework):
    add_activity(
        writable_con,
        activity_id="TWO-YEARS",
        partner="Example Trust",
        sector="sport",
        places=[MANSFIELD],
        aims=["A1"],
        ways=["W2"],
        start="2024-01-01",
        end="2025-12-31",
        investment=731_000,
        participants=731,
    )
    in_2024 = analysis.headline_totals(writable_con, framework, year(2024))
    in_2025 = analysis.headline_totals(writable_con, framework, year(2025))
    assert round(in_2024["investment"], 2) == 366_000.00 and round(in_2025["investment"], 2) == 365_000.00
    assert round(in_2024["participants"], 2) == 366.00 and round(in_2025["participants"], 2) == 365.00
    assert in_2024["activities"] == in_2025["activities"] == 1
    assert analysis.headline_totals(writable_con, framework, year(2026))["activities"] == 0
    # One day at each end is counted: 1 Jan 2024 alone is 1/731 of the run.
    first_day = Filters(date_from=date(2024, 1, 1), date_to=date(2024, 1, 1))
    assert analysis.headline_totals(writable_con, framework, first_day)["investment"] == pytest.approx(1000)


# --- Activities with no end date ---------------------------------------------------------------------------------


def test_an_open_ended_activity_runs_up_to_today_and_its_money_is_spread_from_its_start_to_today(
    writable_con, framework
):
    add_activity(
        writable_con,
        activity_id="ONGOING",
        partner="Example Trust",
        sector="sport",
        places=[MANSFIELD],
        aims=["A1"],
        ways=["W2"],
        start="2025-07-01",
        end=None,
        investment=36_500,
        participants=365,
    )
    today = date(2026, 6, 30)  # 2025-07-01 .. 2026-06-30 is 365 days: 184 in 2025, 181 in 2026
    in_2026 = analysis.headline_totals(writable_con, framework, year(2026), today=today)
    in_2025 = analysis.headline_totals(writable_con, framework, year(2025), today=today)
    assert in_2026["activities"] == 1  # running this year, not a one-day event in 2025
    assert in_2025["investment"] == pytest.approx(36_500 * 184 / 365)
    assert in_2026["investment"] == pytest.approx(36_500 * 181 / 365)
    assert in_2025["participants"] + in_2026["participants"] == pytest.approx(365)
    # Nothing after today, and it is running in a period that starts after its start.
    assert analysis.headline_totals(writable_con, framework, year(2027), today=today)["activities"] == 0
    june = Filters(date_from=date(2026, 6, 1), date_to=date(2026, 6, 30))
    assert analysis.headline_totals(writable_con, framework, june, today=today)["investment"] == pytest.approx(3_000)
    # As time passes the money is re-spread: a year later 2025 holds 184 of 730 days, and all time is still whole.
    later = date(2027, 6, 30)
    assert analysis.headline_totals(writable_con, framework, year(2025), today=later)["investment"] == pytest.approx(
        36_500 * 184 / 730
    )
    assert analysis.headline_totals(writable_con, framework, Filters(), today=later)["investment"] == pytest.approx(
        36_500
    )


def test_open_ended_activities_count_in_this_years_gaps(demo_con, framework):
    rows = raw_activities(demo_con)
    open_ended = [r for r in rows if r[2] is None]
    assert open_ended, "the demo has activities with no end date"
    running = sum(days_in(r[1], r[2], date(2026, 1, 1), date(2026, 12, 31), DEMO_TODAY) > 0 for r in rows)
    assert analysis.headline_totals(demo_con, framework, year(2026), today=DEMO_TODAY)["activities"] == running
    assert running - sum(r[1] >= date(2026, 1, 1) for r in open_ended) > sum(
        r[2] is not None and r[2] >= date(2026, 1, 1) and r[1] <= date(2026, 12, 31) for r in rows
    )


def test_an_open_ended_activity_starting_after_today_is_its_first_day(writable_con, framework):
    add_activity(
        writable_con,
        activity_id="PLANNED",
        partner="Example Trust",
        sector="sport",
        places=[MANSFIELD],
        aims=["A1"],
        start="2026-09-01",
        end=None,
        investment=1_000,
    )
    today = date(2026, 6, 30)
    assert analysis.headline_totals(writable_con, framework, year(2026), today=today)["investment"] == pytest.approx(
        1_000
    )
    assert analysis.headline_totals(writable_con, framework, year(2027), today=today)["activities"] == 0


def test_today_is_the_computers_date_unless_set(monkeypatch):
    monkeypatch.delenv(periods.TODAY_VARIABLE, raising=False)
    assert periods.today() == date.today()
    monkeypatch.setenv(periods.TODAY_VARIABLE, "2025-03-04")
    assert periods.today() == date(2025, 3, 4)
    monkeypatch.setenv(periods.TODAY_VARIABLE, "04/03/2025")
    with pytest.raises(ValueError, match="write it as YYYY-MM-DD"):
        periods.today()


def test_figures_without_today_given_use_the_day_set_for_the_dashboard(writable_con, framework, monkeypatch):
    add_activity(
        writable_con,
        activity_id="ONGOING",
        partner="Example Trust",
        sector="sport",
        places=[MANSFIELD],
        aims=["A1"],
        start="2026-01-01",
        end=None,
        investment=10_000,
    )
    monkeypatch.setenv(periods.TODAY_VARIABLE, "2026-01-10")  # a 10-day run so far
    first_day = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 1, 1))
    assert analysis.headline_totals(writable_con, framework, first_day)["investment"] == pytest.approx(1_000)


# --- The command line and the export follow the same rule ---------------------------------------------------------


def test_cli_heatmap_with_a_period_shows_the_apportioned_figures(demo_db_file, demo_con, capsys):
    assert (
        main(
            [
                "--db",
                str(demo_db_file),
                "heatmap",
                "--rows",
                "aim",
                "--cols",
                "way",
                "--measure",
                "investment",
                "--from",
                "2024-01-01",
                "--to",
                "2024-12-31",
                "--json",
            ]
        )
        == 0
    )
    printed = {(c["row"], c["column"]): c for c in json.loads(capsys.readouterr().out)["cells"]}
    aims, ways = defaultdict(set), defaultdict(set)
    for key, aim in demo_con.execute("SELECT activity_key, aim FROM activity_aims").fetchall():
        aims[key].add(aim)
    for key, way in demo_con.execute("SELECT activity_key, way FROM activity_ways").fetchall():
        ways[key].add(way)
    expected = defaultdict(float)
    for key, start, end, money, _ in raw_activities(demo_con):
        share = days_in(start, end, date(2024, 1, 1), date(2024, 12, 31), DEMO_TODAY)
        for aim in aims[key]:
            for way in ways[key]:
                expected[(aim, way)] += (money or 0) * share
    for cell, value in expected.items():
        assert printed[cell]["value"] == pytest.approx(value, abs=0.01), cell
        assert printed[cell]["investment"] == pytest.approx(value, abs=0.01), cell
    # The table printed without --json shows the same rounded figures.
    assert (
        main(
            [
                "--db",
                str(demo_db_file),
                "heatmap",
                "--measure",
                "investment",
                "--from",
                "2024-01-01",
                "--to",
                "2024-12-31",
            ]
        )
        == 0
    )
    text = capsys.readouterr().out
    assert f"{round(expected[('A1', 'W2')]):.1f}" in text or f"{round(expected[('A1', 'W2')])}" in text


def test_export_carries_each_activitys_share_of_the_period(demo_db_copy, framework):
    con = db.connect(demo_db_copy)
    from strategy import exports
    from strategy.access import LOCAL_USER

    filters = Filters(places=(MANSFIELD,), date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
    table = exports.activities_export(con, framework, filters, LOCAL_USER).set_index("activity_id")
    assert table.investment_in_selected_places_and_period.sum() == pytest.approx(
        analysis.headline_totals(con, framework, filters)["investment"], abs=0.01 * len(table)
    )
    raw = {
        r[0]: r
        for r in con.execute(
            "SELECT activity_id, start_date, end_date FROM activities WHERE replaced_by_upload IS NULL"
        ).fetchall()
    }
    for activity_id, row in table.iterrows():
        _, start, end = raw[activity_id]
        assert row.share_of_run_in_period == pytest.approx(
            days_in(start, end, date(2025, 1, 1), date(2025, 12, 31), DEMO_TODAY), abs=1e-6
        )
    con.close()


def test_board_pack_overview_counts_the_period_share_and_says_so(demo_con, framework):
    from strategy.board import slides

    filters = Filters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
    context = slides.PackContext(demo_con, framework, filters, analysis.data_coverage(demo_con), DEMO_TODAY)
    overview = slides.overview_slide(context)
    expected = sum(
        (r[3] or 0) * days_in(r[1], r[2], date(2025, 1, 1), date(2025, 12, 31), DEMO_TODAY)
        for r in raw_activities(demo_con)
    )
    assert overview.table.set_index("Measure").loc["Investment (£)", "Value"] == round(expected)
    assert periods.SHORT_RULE in overview.caveat
    all_time = slides.overview_slide(
        slides.PackContext(demo_con, framework, Filters(), analysis.data_coverage(demo_con), DEMO_TODAY)
    )
    assert periods.SHORT_RULE not in all_time.caveat


def test_cli_reports_a_today_that_is_not_a_date(demo_db_file, capsys, monkeypatch):
    monkeypatch.setenv(periods.TODAY_VARIABLE, "30/06/2026")
    assert main(["--db", str(demo_db_file), "heatmap", "--from", "2024-01-01"]) == 2
    assert "STRATEGY_TODAY='30/06/2026' is not a date: write it as YYYY-MM-DD" in capsys.readouterr().err


def test_a_period_with_one_end_open_is_open_so_before_and_after_a_day_add_up(demo_con, framework):
    before = Filters(date_to=date(2026, 3, 31))
    onwards = Filters(date_from=date(2026, 4, 1))
    whole = analysis.headline_totals(demo_con, framework, Filters())
    split = [analysis.headline_totals(demo_con, framework, f) for f in (before, onwards)]
    assert split[0]["investment"] + split[1]["investment"] == pytest.approx(whole["investment"])
    assert split[0]["participants"] + split[1]["participants"] == pytest.approx(whole["participants"])
    # Planned days after today are in "onwards", as its label says.
    after_today = sum(
        (r[3] or 0) * days_in(r[1], r[2], date(2026, 7, 1), date.max, DEMO_TODAY) for r in raw_activities(demo_con)
    )
    assert after_today > 0
    assert onwards.describe(framework) == "Period: 1 April 2026 onwards"
    assert before.describe(framework) == "Period: up to 31 March 2026"
