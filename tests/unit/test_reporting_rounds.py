"""Reporting rounds: opening one, each partner's status worked out independently, the pre-filled return's round
trip, what a return changes, who may see what, and the command line."""

from __future__ import annotations

import io
import json
import shutil
from datetime import date, datetime, timedelta

import pytest
from openpyxl import load_workbook

from strategy import analysis, db
from strategy.__main__ import main
from strategy.access import LOCAL_USER, PermissionDenied, User
from strategy.filters import Filters
from strategy.ingest import LOADED, VALID, import_activities, rollback_upload
from strategy.ingest.columns import COLUMN_NAMES
from strategy.rounds import open_round, prefilled_return, record_reminder, reminder_text, round_status
from strategy.rounds.returns import current_activities
from tests.activity_files import csv_bytes, row

ANALYST = User("analyst@example.org", "analyst")
VIEWER = User("viewer@example.org", "viewer")


def partner_user(name: str) -> User:
    return User("volunteer@example.org", "partner", name)


@pytest.fixture
def con(empty_db_file, tmp_path):
    copy = tmp_path / "rounds.duckdb"
    shutil.copy(empty_db_file, copy)
    connection = db.connect(copy)
    yield connection
    connection.close()


@pytest.fixture
def demo_writable(demo_db_file, tmp_path):
    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_file, copy)
    connection = db.connect(copy)
    yield connection, copy
    connection.close()


def upload(con, partner: str, activity_id: str, **changes):
    report = import_activities(
        con, csv_bytes([row(activity_id=activity_id, **changes)]), f"{activity_id}.csv", partner, LOCAL_USER
    )
    assert report.status == LOADED, report.message
    return report


def expected_status(con, round_name: str, today: date) -> dict[str, str]:
    """Each expected partner's status from the rule, computed here in plain Python from the raw tables."""
    opened_at, deadline, round_id = con.execute(
        "SELECT opened_at, deadline, round_id FROM reporting_rounds WHERE name = ?", [round_name]
    ).fetchall()[0]
    expected = {
        name: pid
        for pid, name in con.execute(
            "SELECT p.partner_id, p.name FROM round_partners r JOIN partners p USING (partner_id) WHERE round_id = ?",
            [round_id],
        ).fetchall()
    }
    uploads = con.execute("SELECT partner_id, uploaded_at, status, kind FROM uploads").fetchall()
    status = {}
    for name, pid in expected.items():
        returned = any(p == pid and at >= opened_at and s == "loaded" and k == "activities" for p, at, s, k in uploads)
        status[name] = "returned" if returned else ("late" if today > deadline else "not started")
    return status


def test_round_status_returned_late_and_not_started(con, monkeypatch):
    for name, activity in (("Alpha Trust", "A-1"), ("Beta Club", "B-1"), ("Gamma CIC", "G-1"), ("Delta", "D-1")):
        upload(con, name, activity)  # before the round: not a return
    today = date(2026, 6, 30)
    monkeypatch.setenv("STRATEGY_TODAY", today.isoformat())
    opened = open_round(con, ANALYST, "2026/27 Q2", "2026-07-15", partners=["alpha trust", "Beta Club", "Gamma CIC"])
    assert opened.deadline == date(2026, 7, 15)
    upload(con, "Alpha Trust", "A-2")
    beta = upload(con, "Beta Club", "B-2")
    rollback_upload(con, beta.upload_id, LOCAL_USER)  # a rolled-back upload is not a return
    upload(con, "Delta", "D-2")  # not expected in the round

    found, table = round_status(con, ANALYST)
    assert found.name == "2026/27 Q2"
    got = dict(zip(table.partner, table.status))
    assert got == expected_status(con, "2026/27 Q2", today)
    assert got == {"Alpha Trust": "returned", "Beta Club": "not started", "Gamma CIC": "not started"}

    after = date(2026, 7, 16)
    monkeypatch.setenv("STRATEGY_TODAY", after.isoformat())
    _, table = round_status(con, ANALYST, "2026/27 q2")
    got = dict(zip(table.partner, table.status))
    assert got == expected_status(con, "2026/27 Q2", after)
    assert got["Beta Club"] == got["Gamma CIC"] == "late" and got["Alpha Trust"] == "returned"
    assert table.status.tolist()[0] == "late"  # the late first: who needs a reminder


def test_opening_a_round_says_what_to_fix(con):
    upload(con, "Alpha Trust", "A-1")
    with pytest.raises(ValueError, match="Not a partner: 'Alfa Trust'"):
        open_round(con, ANALYST, "Q2", "2026-07-15", partners=["Alfa Trust"])
    with pytest.raises(ValueError, match="not a date; write it as YYYY-MM-DD"):
        open_round(con, ANALYST, "Q2", "15/07/2026", all_partners=True)
    with pytest.raises(ValueError, match="Say which partners"):
        open_round(con, ANALYST, "Q2", "2026-07-15")
    open_round(con, ANALYST, "Q2", "2026-07-15", all_partners=True)
    with pytest.raises(ValueError, match="already open"):
        open_round(con, ANALYST, " q2 ", "2026-07-15", all_partners=True)
    logged = con.execute("SELECT actor, detail FROM audit_log WHERE action = 'open reporting round'").fetchall()
    assert logged == [("analyst@example.org", "Q2: deadline 2026-07-15, 1 partner expected")]


def test_who_may_see_and_open_rounds(con):
    upload(con, "Alpha Trust", "A-1")
    upload(con, "Beta Club", "B-1")
    for refused in (VIEWER, partner_user("Alpha Trust")):
        with pytest.raises(PermissionDenied):
            open_round(con, refused, "Q2", "2026-07-15", all_partners=True)
    open_round(con, ANALYST, "Q2", "2026-07-15", all_partners=True)
    _, own = round_status(con, partner_user("Alpha Trust"))
    assert own.partner.tolist() == ["Alpha Trust"]  # a partner sees their own row only
    with pytest.raises(PermissionDenied):
        round_status(con, partner_user("Alpha Trust"), partner="Beta Club")
    with pytest.raises(PermissionDenied):
        round_status(con, VIEWER)
    _, every = round_status(con, ANALYST)
    assert sorted(every.partner) == ["Alpha Trust", "Beta Club"]
    # The return: a partner's own, and leaders'; never another partner's or a viewer's.
    assert prefilled_return(con, partner_user("Alpha Trust"), "Alpha Trust")[:2] == b"PK"
    assert prefilled_return(con, ANALYST, "Beta Club")[:2] == b"PK"
    for refused, partner in ((partner_user("Alpha Trust"), "Beta Club"), (VIEWER, "Alpha Trust")):
        with pytest.raises(PermissionDenied):
            prefilled_return(con, refused, partner)
    with pytest.raises(PermissionDenied):
        record_reminder(con, partner_user("Alpha Trust"), round_status(con, ANALYST)[0], "Beta Club")


def test_reminder_names_the_round_deadline_and_the_partners_upload_link(con):
    upload(con, "Alpha & Sons", "A-1")
    found = open_round(con, ANALYST, "2026/27 Q2", "2026-07-15", all_partners=True)
    text = reminder_text(found, "Alpha & Sons", "late", "https://moves.example.org/", today=date(2026, 7, 20))
    assert "was due on Wednesday 15 July 2026" in text
    assert "https://moves.example.org/Upload?partner=Alpha%20%26%20Sons" in text
    soon = reminder_text(found, "Alpha & Sons", "not started", "https://moves.example.org", today=date(2026, 7, 12))
    assert "(in 3 days)" in soon
    record_reminder(con, ANALYST, found, "Alpha & Sons")
    assert con.execute("SELECT detail FROM audit_log WHERE action = 'round reminder sent'").fetchall() == [
        ("2026/27 Q2: reminder for Alpha & Sons",)
    ]


def busiest_partner(con) -> str:
    return con.execute(
        "SELECT p.name FROM activities a JOIN partners p USING (partner_id) WHERE "
        "a.replaced_by_upload IS NULL AND NOT a.is_experiment GROUP BY p.name "
        "ORDER BY count(*) DESC, p.name LIMIT 1"
    ).fetchall()[0][0]


def partner_totals(con, partner: str) -> tuple:
    """Count, money and participants of a partner's current activities, straight from the table."""
    return con.execute(
        "SELECT count(*), sum(investment_gbp), sum(participants), "
        "list(activity_id || '|' || coalesce(place_set, '') || '|' || aim_mask || '|' || "
        "coalesce(end_date::VARCHAR, '') ORDER BY activity_id) FROM activities a "
        "JOIN partners p USING (partner_id) WHERE p.name = ? AND a.replaced_by_upload IS NULL",
        [partner],
    ).fetchall()[0]


def test_prefilled_return_uploaded_unchanged_changes_nothing(demo_writable, framework):
    con, _ = demo_writable
    partner = busiest_partner(con)
    stored = partner_totals(con, partner)
    data = prefilled_return(con, LOCAL_USER, partner, framework, round_name="2026/27 Q2")
    sheet = load_workbook(io.BytesIO(data))["Activities"]
    assert [c.value for c in sheet[1]] == list(COLUMN_NAMES)
    assert sheet.max_row - 1 == stored[0]
    assert sheet.data_validations.dataValidation  # the drop-downs are kept

    check = import_activities(con, data, "return.xlsx", partner, LOCAL_USER, dry_run=True, framework=framework)
    assert check.status == VALID, check.errors[:3]
    assert check.change_counts == {
        "new": 0,
        "ended": 0,
        "changed": 0,
        "not in this return": 0,
        "unchanged": stored[0],
    }, check.changes[check.changes.change != "unchanged"]
    headline = analysis.headline_totals(con, framework, Filters())
    loaded = import_activities(con, data, "return.xlsx", partner, LOCAL_USER, framework=framework)
    assert loaded.status == LOADED and loaded.replaced_activities == stored[0]
    assert partner_totals(con, partner) == stored
    assert analysis.headline_totals(con, framework, Filters()) == headline


def edited_return(data: bytes, edit) -> bytes:
    book = load_workbook(io.BytesIO(data))
    edit(book["Activities"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_return_changes_are_new_ended_changed_unchanged_or_left_out(demo_writable, framework, monkeypatch):
    con, _ = demo_writable
    partner = busiest_partner(con)
    today = date(2026, 6, 30)
    monkeypatch.setenv("STRATEGY_TODAY", today.isoformat())
    current = current_activities(con, LOCAL_USER, partner)
    data = prefilled_return(con, LOCAL_USER, partner, framework)
    sheet = load_workbook(io.BytesIO(data))["Activities"]
    rows = {r[0].value: r[0].row for r in sheet.iter_rows(min_row=2)}
    column = {name: i + 1 for i, name in enumerate(COLUMN_NAMES)}
    running = [
        a for a in current.itertuples() if a.end_date is None or a.end_date != a.end_date or a.end_date.date() >= today
    ]
    running = [a for a in running if a.start_date.date() < today - timedelta(days=2)]
    to_end, to_change, to_leave_out = running[0].activity_id, current.activity_id.iloc[-1], current.activity_id.iloc[0]
    assert len({to_end, to_change, to_leave_out}) == 3

    def edit(sheet):
        sheet.cell(rows[to_end], column["end_date"]).value = datetime(2026, 6, 28)
        old = sheet.cell(rows[to_change], column["participants"]).value or 0
        sheet.cell(rows[to_change], column["participants"]).value = old + 7
        new_row = sheet.max_row + 1
        for name in COLUMN_NAMES:
            sheet.cell(new_row, column[name]).value = sheet.cell(rows[to_change], column[name]).value
        sheet.cell(new_row, column["activity_id"]).value = "NEW-2026-1"
        sheet.delete_rows(rows[to_leave_out])

    check = import_activities(
        con, edited_return(data, edit), "return.xlsx", partner, LOCAL_USER, dry_run=True, framework=framework
    )
    assert check.status == VALID, check.errors[:3]
    expected = {"new": 1, "ended": 1, "changed": 1, "not in this return": 1, "unchanged": len(current) - 3}
    assert check.change_counts == expected
    by_id = dict(zip(check.changes.activity_id, check.changes.change))
    assert (by_id[to_end], by_id[to_change], by_id[to_leave_out], by_id["NEW-2026-1"]) == (
        "ended",
        "changed",
        "not in this return",
        "new",
    )
    assert check.changes.set_index("activity_id").what_changed[to_change] == "participants"
    loaded = import_activities(con, edited_return(data, edit), "return.xlsx", partner, LOCAL_USER, framework=framework)
    assert loaded.status == LOADED
    still = con.execute(
        "SELECT count(*) FROM activities a JOIN partners p USING (partner_id) WHERE p.name = ? "
        "AND a.activity_id = ? AND a.replaced_by_upload IS NULL",
        [partner, to_leave_out],
    ).fetchall()
    assert still == [(1,)]  # an activity left out of a return is kept, not deleted


def test_cli_rounds_and_return(demo_writable, tmp_path, capsys):
    con, path = demo_writable
    partner = busiest_partner(con)
    count = partner_totals(con, partner)[0]
    con.close()
    assert (
        main(["--db", str(path), "rounds", "open", "2026/27 Q2", "--deadline", "2026-07-15", "--partner", partner]) == 0
    )
    assert "2026/27 Q2" in capsys.readouterr().out
    assert main(["--db", str(path), "rounds", "open", "Q3", "--deadline", "2026-07-15", "--partner", "Nobody"]) == 2
    assert "Not a partner: 'Nobody'" in capsys.readouterr().err
    assert main(["--db", str(path), "rounds", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(r["name"], r["partners_expected"], r["returned"]) for r in listed] == [("2026/27 Q2", 1, 0)]
    target = tmp_path / "return.xlsx"
    assert main(["--db", str(path), "return", str(target), "--partner", partner]) == 0
    assert f"{count:,} current activities" in capsys.readouterr().out
    assert load_workbook(target)["Activities"].max_row == count + 1
    logged = db.connect(path, read_only=True)
    try:
        assert logged.execute(
            "SELECT actor, detail FROM audit_log WHERE action = 'download pre-filled return'"
        ).fetchall() == [("local", f"{partner} for 2026/27 Q2")]
    finally:
        logged.close()
    assert main(["--db", str(path), "import", "activities", str(target), "--partner", partner]) == 0
    capsys.readouterr()
    assert main(["--db", str(path), "rounds", "status", "--json"]) == 0
    status = json.loads(capsys.readouterr().out)
    assert status["round"] == "2026/27 Q2" and [(p["partner"], p["status"]) for p in status["partners"]] == [
        (partner, "returned")
    ]


def test_a_new_organisation_name_finds_the_partner_it_nearly_matches():
    from strategy.rounds.organisations import near_matches, same_organisation

    known = ["Mansfield Community Trust", "Derby County Community Trust", "Bolsover Sports & Leisure Ltd"]
    # the same organisation by the one rule for names (case, spaces, Unicode forms: strategy/names.py) ...
    assert same_organisation("  mansfield  COMMUNITY trust ", known) == "Mansfield Community Trust"
    # ... while looser likenesses are offered first among the near matches, for the person to choose
    assert same_organisation("Mansfield Community Trust Ltd", known) is None
    assert near_matches("Mansfield Community Trust Ltd", known)[0] == "Mansfield Community Trust"
    assert near_matches("Bolsover Sports and Leisure", known)[0] == "Bolsover Sports & Leisure Ltd"
    assert near_matches("Mansfeld Comunity Trust", known) == ["Mansfield Community Trust"]
    assert near_matches("Derby Community Trust", known)[0] == "Derby County Community Trust"
    assert near_matches("Erewash Walking Football", known) == []


def test_reminder_link_uses_the_setting_or_the_address_in_use(monkeypatch):
    from strategy.rounds.organisations import base_url

    monkeypatch.delenv("STRATEGY_BASE_URL", raising=False)
    assert (
        base_url("https://moves.example.org/dash/Reporting_round?x=1", "Reporting_round")
        == "https://moves.example.org/dash"
    )
    assert base_url(None) is None
    monkeypatch.setenv("STRATEGY_BASE_URL", "https://dashboard.example.org/")
    assert base_url("http://127.0.0.1:8501/Reporting_round", "Reporting_round") == "https://dashboard.example.org"


def test_the_return_names_places_as_a_partner_would(demo_con, framework):
    activities = current_activities(demo_con, LOCAL_USER, busiest_partner(demo_con))
    from strategy.rounds.returns import return_row

    every = {p.code for p in framework.local_places()}
    counties = {c.name: set(framework.places_within(c.code)) - {c.code} for c in framework.counties()}
    for activity in activities.itertuples(index=False):
        names = return_row(framework, activity)[COLUMN_NAMES.index("places")].split("; ")
        stored = set(activity.places)
        if stored == every:
            assert names == ["All"]
            continue
        expanded = set()
        for name in names:
            expanded |= counties.get(name) or {next(p.code for p in framework.places if p.name == name)}
        assert expanded == stored  # the same places, by name
        for county, districts in counties.items():  # a whole county is named as the county
            assert (county in names) == (districts <= stored)


def test_the_reminder_names_the_install_strategy():
    from strategy.rounds.round import Round
    from tests.conftest import STRATEGIES, strategy_settings

    found = Round(1, "Summer 2026", date(2026, 7, 15), None, None)
    assert "Making our Move activity return" in reminder_text(
        found, "Alpha", "late", "https://x.example/", today=date(2026, 7, 20)
    )
    with strategy_settings(*STRATEGIES["riverside"]):
        text = reminder_text(found, "Alpha", "late", "https://x.example/", today=date(2026, 7, 20))
    assert text.startswith("Subject: Riverside Moves activity return") and "Making our Move" not in text
    assert text.endswith("The Riverside Moves partnership\n")
