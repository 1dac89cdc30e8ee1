"""Places that reorganise: a successor area takes over its predecessors' history from the day of the change,
earlier periods show the old areas as they were, and uploads naming an old area after its end are told what to
write instead. The real framework declares no reorganisation, so these tests use a fictional one: Mansfield and
Ashfield replaced by "North Nottinghamshire" on 1 April 2028."""

from __future__ import annotations

import shutil
from datetime import date

import pytest

from strategy import analysis, db
from strategy import build as build_module
from strategy.__main__ import main
from strategy.access import LOCAL_USER
from strategy.build.reference import load_reference
from strategy.filters import Filters
from strategy.framework import FRAMEWORK_FILE, load_framework
from strategy.ingest import LOADED, REJECTED, import_activities
from tests.activity_files import csv_bytes, row
from tests.conftest import add_activity

MANSFIELD, ASHFIELD, BOLSOVER, BASSETLAW = "E07000174", "E07000170", "E07000033", "E07000171"
NORTH_NOTTS = "E06999901"  # fictional code
CHANGE = date(2028, 4, 1)
AFTER = Filters(date_from=date(2028, 4, 1), date_to=date(2029, 3, 31))
IN_2026 = Filters(date_from=date(2026, 1, 1), date_to=date(2026, 12, 31))
RUN = (date(2026, 5, 1), date(2029, 12, 31))  # the hand-made activities' run (NEW's aside)


def share_of_run(period: Filters, run=RUN) -> float:
    """The part of a run that falls in a period, by days, both ends inclusive (the counting rule, worked out here
    independently of the SQL)."""
    start, end = max(run[0], period.date_from), min(run[1], period.date_to)
    return max((end - start).days + 1, 0) / ((run[1] - run[0]).days + 1)


S_AFTER, S_2026 = share_of_run(AFTER), share_of_run(IN_2026)

NEW_AREA = f"""
[[places]]
code = "{NORTH_NOTTS}"
name = "North Nottinghamshire"
level = "unitary"
valid_from = "2028-04-01"
synonyms = ["north notts"]
"""


def variant_text(
    extra: str = NEW_AREA,
    replaced: tuple[str, ...] = ("Mansfield", "Ashfield"),
    successor: str = NORTH_NOTTS,
    valid_to: str = "2028-03-31",
) -> str:
    """The real framework with the named districts replaced by `successor` the day after `valid_to`."""
    text = FRAMEWORK_FILE.read_text(encoding="utf-8")
    for name in replaced:
        block = f'name = "{name}"\nlevel = "district"\nparent = "E10000024"\nvalid_from = "2009-04-01"\n'
        assert block in text, name
        text = text.replace(block, block + f'valid_to = "{valid_to}"\nsuccessor = "{successor}"\n')
    return text + extra


@pytest.fixture(scope="module")
def reorganised(tmp_path_factory):
    path = tmp_path_factory.mktemp("framework") / "framework.toml"
    path.write_text(variant_text(), encoding="utf-8")
    return load_framework(path)


@pytest.fixture
def con(empty_db_file, tmp_path, reorganised):
    """A database of the reorganised framework (its places reloaded) with hand-made activities: one in Mansfield,
    one in Ashfield, one shared by Bolsover and Mansfield, one in Bassetlaw, all running 2026 to 2029, and one
    starting after the change that names North Nottinghamshire itself."""
    path = tmp_path / "reorganised.duckdb"
    shutil.copy(empty_db_file, path)
    connection = db.connect(path)
    with db.transaction(connection) as cursor:
        load_reference(cursor, reorganised)
    common = dict(partner="Trust", sector="sport", start="2026-05-01", end="2029-12-31")
    add_activity(
        connection,
        activity_id="MAN",
        places=[MANSFIELD],
        aims=["A1"],
        ways=["W1"],
        investment=1000,
        participants=100,
        **common,
    )
    add_activity(
        connection,
        activity_id="ASH",
        places=[ASHFIELD],
        aims=["A2"],
        ways=["W1"],
        investment=3000,
        participants=50,
        **common,
    )
    add_activity(
        connection,
        activity_id="PAIR",
        places=[BOLSOVER, MANSFIELD],
        aims=["A1"],
        ways=["W2"],
        investment=2000,
        participants=40,
        **common,
    )
    add_activity(connection, activity_id="BAS", places=[BASSETLAW], aims=["A3"], ways=["W2"], investment=700, **common)
    add_activity(
        connection,
        activity_id="NEW",
        partner="Trust",
        sector="sport",
        places=[NORTH_NOTTS],
        aims=["A1"],
        ways=["W1"],
        start="2028-06-01",
        investment=500,
        participants=10,
    )
    yield connection
    connection.close()


def population(con, code: str) -> int:
    return con.execute("SELECT population FROM places WHERE code = ?", [code]).fetchall()[0][0]


# --- the framework ------------------------------------------------------------------------------------------


def test_the_real_framework_declares_no_reorganisation(framework):
    assert [p.code for p in framework.places if p.successor] == []
    assert framework.rolled_up(date(2100, 1, 1)) == ()


def test_a_replaced_place_counts_in_its_successor_from_the_day_of_the_change(reorganised):
    assert reorganised.area_on(MANSFIELD, date(2028, 3, 31)) == MANSFIELD
    assert reorganised.area_on(MANSFIELD, CHANGE) == NORTH_NOTTS
    assert set(reorganised.predecessors(NORTH_NOTTS, CHANGE)) == {MANSFIELD, ASHFIELD}
    before = {p.code for p in reorganised.local_places(date(2028, 3, 31))}
    after = {p.code for p in reorganised.local_places(CHANGE)}
    assert before - after == {MANSFIELD, ASHFIELD} and after - before == {NORTH_NOTTS}
    assert len(before) == 17 and len(after) == 16


@pytest.mark.parametrize(
    "change, problem",
    [
        (dict(successor="E06999999"), "not a place in the file"),
        (dict(extra=NEW_AREA.replace("2028-04-01", "2028-05-01")), "should start the day after"),
        (dict(successor="E10000024"), "only districts and unitary authorities"),
    ],
)
def test_a_wrong_successor_is_refused_with_what_to_fix(tmp_path, change, problem):
    path = tmp_path / "framework.toml"
    path.write_text(variant_text(**change), encoding="utf-8")
    with pytest.raises(ValueError, match=problem):
        load_framework(path)


def test_a_successor_without_an_end_date_is_refused(tmp_path):
    text = variant_text().replace('valid_to = "2028-03-31"\nsuccessor', "successor", 1)
    path = tmp_path / "framework.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="no valid_to"):
        load_framework(path)


def test_init_refuses_a_wrong_successor_saying_what_to_fix(tmp_path, monkeypatch, capsys):
    path = tmp_path / "framework.toml"
    path.write_text(variant_text(successor="E06999999"), encoding="utf-8")
    monkeypatch.setattr(build_module, "load_framework", lambda: load_framework(path))
    assert main(["--db", str(tmp_path / "new.duckdb"), "init"]) == 2
    assert "names successor 'E06999999', which is not a place in the file" in capsys.readouterr().err


def test_successors_that_go_round_in_a_circle_are_refused(tmp_path):
    text = variant_text(extra="", replaced=("Mansfield",), successor=ASHFIELD, valid_to="2009-03-31")
    text = text.replace(
        'name = "Ashfield"\nlevel = "district"\nparent = "E10000024"\nvalid_from = "2009-04-01"\n',
        'name = "Ashfield"\nlevel = "district"\nparent = "E10000024"\nvalid_from = "2009-04-01"\n'
        f'valid_to = "2009-03-31"\nsuccessor = "{MANSFIELD}"\n',
    )
    path = tmp_path / "framework.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="go round in a circle"):
        load_framework(path)


def test_successor_population_is_the_sum_of_its_predecessors_unless_given(con, tmp_path, empty_db_file):
    assert population(con, NORTH_NOTTS) == population(con, MANSFIELD) + population(con, ASHFIELD)
    path = tmp_path / "framework.toml"
    path.write_text(variant_text(extra=NEW_AREA + "population = 250000\n"), encoding="utf-8")
    given = tmp_path / "given.duckdb"
    shutil.copy(empty_db_file, given)
    other = db.connect(given)
    with db.transaction(other) as cursor:
        load_reference(cursor, load_framework(path))
    assert population(other, NORTH_NOTTS) == 250000
    other.close()


# --- views ----------------------------------------------------------------------------------------------------


def test_after_the_change_the_successor_holds_its_predecessors_activities_and_shares(con, reorganised):
    # one sector per activity, so a place's row summed over the sectors counts each activity once
    cells = (
        analysis.heatmap(con, reorganised, AFTER, "place", "sector")
        .groupby("row_code")[["activities", "investment", "participants"]]
        .sum()
    )
    assert MANSFIELD not in cells.index and ASHFIELD not in cells.index
    pops = {c: population(con, c) for c in (MANSFIELD, BOLSOVER)}
    pair_share_in_mansfield = pops[MANSFIELD] / (pops[MANSFIELD] + pops[BOLSOVER])
    north = cells.loc[NORTH_NOTTS]
    assert north.activities == 4  # MAN, ASH, PAIR (its Mansfield part) and NEW, each once
    # NEW starts after today (the tests' fixed day), so it counts on its first day only: wholly in the period
    assert north.investment == pytest.approx((1000 + 3000 + 2000 * pair_share_in_mansfield) * S_AFTER + 500)
    assert north.participants == pytest.approx((100 + 50 + 40 * pair_share_in_mansfield) * S_AFTER + 10)
    assert cells.loc[BOLSOVER].investment == pytest.approx(2000 * (1 - pair_share_in_mansfield) * S_AFTER)


def test_an_activity_naming_two_places_that_merged_counts_once_with_its_whole_amount(con, reorganised):
    def north():
        cells = analysis.heatmap(con, reorganised, AFTER, "place", "aim")
        return cells[cells.row_code == NORTH_NOTTS].set_index("column_code")

    before = north()
    add_activity(
        con,
        activity_id="BOTH",
        partner="Trust",
        sector="sport",
        places=[MANSFIELD, ASHFIELD],
        aims=["A4"],
        start="2028-05-01",
        investment=900,
        participants=30,
    )
    after = north()
    assert after.activities["A4"] - before.activities["A4"] == 1
    assert after.investment["A4"] - before.investment["A4"] == pytest.approx(900)
    assert after.participants["A4"] - before.participants["A4"] == pytest.approx(30)


def test_filtering_on_the_successor_includes_its_predecessors_activities(con, reorganised):
    pops = {c: population(con, c) for c in (MANSFIELD, BOLSOVER)}
    pair_share_in_mansfield = pops[MANSFIELD] / (pops[MANSFIELD] + pops[BOLSOVER])
    chosen = Filters(places=(NORTH_NOTTS,), date_from=AFTER.date_from, date_to=AFTER.date_to)
    totals = analysis.headline_totals(con, reorganised, chosen)
    assert totals["activities"] == 4
    assert totals["investment"] == pytest.approx((1000 + 3000 + 2000 * pair_share_in_mansfield) * S_AFTER + 500)
    assert totals["places_reached"] == 1
    behind = analysis.activities_in_cell(con, reorganised, chosen, "place", NORTH_NOTTS, "aim", "A1")
    assert sorted(behind.activity_id) == ["MAN", "NEW", "PAIR"]
    aims = analysis.heatmap(con, reorganised, chosen, "place", "aim").set_index(["row_code", "column_code"])
    assert aims.loc[(NORTH_NOTTS, "A1"), "activities"] == 3 and aims.loc[(NORTH_NOTTS, "A2"), "activities"] == 1


def test_a_county_filter_after_the_change_leaves_out_a_unitary_successor(con, reorganised):
    notts = Filters(places=("E10000024",), date_from=AFTER.date_from, date_to=AFTER.date_to)
    assert set(notts.local_places(reorganised)) == {"E07000171", "E07000172", "E07000173", "E07000175", "E07000176"}
    assert analysis.headline_totals(con, reorganised, notts)["activities"] == 1  # Bassetlaw only


def test_nothing_is_counted_twice_after_the_change(con, reorganised):
    total = analysis.headline_totals(con, reorganised, AFTER)
    expected = (1000 + 3000 + 2000 + 700) * S_AFTER + 500
    assert total["activities"] == 5 and total["investment"] == pytest.approx(expected)
    cells = analysis.heatmap(con, reorganised, AFTER, "place", "sector")  # one sector each: partitions money
    assert cells.investment.sum() == pytest.approx(expected)
    assert cells.participants.sum() == pytest.approx((100 + 50 + 40) * S_AFTER + 10)
    effort = db.query(con, "effort_by_place", **AFTER.sql_parameters(reorganised))
    assert effort.investment.sum() == pytest.approx(expected)
    assert total["places_reached"] == 3  # North Nottinghamshire, Bolsover, Bassetlaw


def run_in_2029(monkeypatch):
    """Work every figure out as on 30 June 2029, after the change (strategy.periods.today)."""
    monkeypatch.setenv("STRATEGY_TODAY", "2029-06-30")


def test_need_against_effort_lists_the_places_of_the_views_day(con, reorganised):
    after = analysis.need_vs_effort(con, reorganised, AFTER).set_index("place_code")
    assert MANSFIELD not in after.index and ASHFIELD not in after.index
    assert after.population[NORTH_NOTTS] == population(con, MANSFIELD) + population(con, ASHFIELD)
    assert after.investment.sum() == pytest.approx((1000 + 3000 + 2000 + 700) * S_AFTER + 500)
    before = analysis.need_vs_effort(con, reorganised, IN_2026).set_index("place_code")
    assert NORTH_NOTTS not in before.index and {MANSFIELD, ASHFIELD} <= set(before.index)
    assert before.investment.sum() == pytest.approx((1000 + 3000 + 2000 + 700) * S_2026)  # NEW starts after 2026


def test_a_report_for_2026_run_after_the_change_is_as_before_it(con, reorganised, framework, monkeypatch):
    old = analysis.heatmap(con, framework, IN_2026, "place", "aim")  # the real framework, run today
    run_in_2029(monkeypatch)
    new = analysis.heatmap(con, reorganised, IN_2026, "place", "aim")
    assert NORTH_NOTTS not in set(new.row_code)
    assert new.to_dict("records") == old.to_dict("records")
    mansfield = Filters(places=(MANSFIELD,), date_from=IN_2026.date_from, date_to=IN_2026.date_to)
    assert analysis.headline_totals(con, reorganised, mansfield) == analysis.headline_totals(con, framework, mansfield)
    assert analysis.headline_totals(con, reorganised, mansfield)["activities"] == 2  # MAN and PAIR, not ASH


def test_a_view_with_no_end_date_run_after_the_change_shows_the_successor(con, reorganised, monkeypatch):
    run_in_2029(monkeypatch)
    rows = analysis.heatmap(con, reorganised, Filters(), "place", "aim")
    assert NORTH_NOTTS in set(rows.row_code) and MANSFIELD not in set(rows.row_code)
    cells = rows.set_index(["row_code", "column_code"]).activities
    assert cells[(NORTH_NOTTS, "A1")] == 3 and cells[(NORTH_NOTTS, "A2")] == 1  # MAN, PAIR, NEW; ASH


# --- uploads --------------------------------------------------------------------------------------------------


def test_an_upload_naming_a_replaced_place_after_its_end_is_told_the_successor(con, reorganised):
    data = csv_bytes(
        [
            row(activity_id="LATE", places="Bassetlaw; Mansfield", start_date="01/04/2028", end_date=""),
            row(activity_id="EARLY", places="Mansfield", start_date="31/03/2028", end_date=""),
        ]
    )
    report = import_activities(con, data, "late.csv", "Trust", LOCAL_USER, framework=reorganised, dry_run=True)
    assert report.status == REJECTED
    replaced = [p for p in report.errors if p.kind == "replaced place"]
    assert [(p.row, p.value) for p in replaced] == [(2, "Mansfield")]
    assert replaced[0].message.startswith(
        "Mansfield was replaced by North Nottinghamshire on 1 April 2028: write North Nottinghamshire"
    )
    assert report.errors_total == 1  # the row starting the day before the change is fine
    # done as the message says, the file loads
    fixed = data.replace(b"Bassetlaw; Mansfield", b"Bassetlaw; North Nottinghamshire")
    loaded = import_activities(con, fixed, "fixed.csv", "Trust", LOCAL_USER, framework=reorganised)
    assert loaded.status == LOADED, loaded.errors


def test_captions_and_exports_say_where_replaced_places_are_counted(reorganised, framework):
    after = AFTER.describe(reorganised)
    assert after.endswith(
        "Ashfield (replaced on 1 April 2028) and Mansfield (replaced on 1 April 2028) are "
        "counted in North Nottinghamshire."
    )
    assert IN_2026.describe(reorganised) == IN_2026.describe(framework)  # before the change: nothing to say
