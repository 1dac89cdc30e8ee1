"""A partner's reporting round in a real browser, with sign-in: an admin opens a round expecting two partners; one
partner's volunteer downloads the pre-filled return, updates it in "Excel" (openpyxl), uploads it, reads what it
changes, loads it and sees where they fit; the admin then sees them as returned, copies the reminder for the
partner that has not started, and finds the return and the reminder in the audit log."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date, datetime
from pathlib import Path
from urllib.parse import quote

import duckdb
import pytest
from openpyxl import load_workbook

from strategy import analysis, db
from strategy.access import LOCAL_USER
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.users import add_user
from tests.browser.conftest import screenshot, wait_for_app
from tests.browser.test_oidc_signin import PEOPLE, new_person, provider, sign_in, signin_url, vouch  # noqa: F401
from tests.conftest import DEMO_TODAY

pytestmark = pytest.mark.browser

ROUND = "2026/27 Q2"
DEADLINE = date(2026, 7, 31)
RETURNING = "Erewash Community Trust"  # demo partners: the one that returns, and the one that does not
WAITING = "Bassetlaw Wellbeing Hub"
VOLUNTEER = "volunteer@erewash.example.org"
LIST_COLUMNS = ("sector", "places", "aims", "ways_of_working", "themes", "status")
KINDS = ("new", "ended", "changed", "not in this return", "unchanged")


@pytest.fixture(scope="module")
def signin_db(demo_db_file, tmp_path_factory, provider) -> Path:  # noqa: F811 (replaces the sign-in module's)
    """The demo data with an admin and a volunteer of a demo partner that has activities."""
    path = tmp_path_factory.mktemp("round-journey") / "round.duckdb"
    shutil.copy(demo_db_file, path)
    vouch(provider, VOLUNTEER, email=VOLUNTEER, email_verified=True)
    con = db.connect(path)
    add_user(con, LOCAL_USER, PEOPLE["admin"], "admin")
    add_user(con, LOCAL_USER, VOLUNTEER, "partner", RETURNING)
    con.close()
    return path


def stored_activities(database: Path, partner: str) -> dict[str, dict]:
    """The partner's current activities, read straight from the tables (not through the code under test)."""
    with duckdb.connect(str(database), read_only=True) as con:
        rows = con.execute(
            """
            SELECT a.activity_id, a.title, a.start_date, a.end_date, a.status, a.participants, a.investment_gbp
            FROM activities a JOIN partners p USING (partner_id)
            WHERE p.name = ? AND a.replaced_by_upload IS NULL AND NOT a.is_experiment""",
            [partner],
        ).fetchall()
    return {
        r[0]: {
            "title": r[1],
            "start_date": r[2],
            "end_date": r[3],
            "status": r[4],
            "participants": r[5],
            "investment_gbp": None if r[6] is None else float(r[6]),
        }
        for r in rows
    }


def sheet_rows(sheet) -> dict[str, dict]:
    """The Activities sheet's rows by activity_id, each {column: value}; dates as dates."""
    header = [c.value for c in sheet[1]]
    rows = {}
    for values in sheet.iter_rows(min_row=2, values_only=True):
        if any(v is not None for v in values):
            row = dict(zip(header, values))
            for column in ("start_date", "end_date"):
                if isinstance(row[column], datetime):
                    row[column] = row[column].date()
            rows[row["activity_id"]] = row
    return rows


def expected_changes(before: dict[str, dict], after: dict[str, dict], today: date) -> dict[str, int]:
    """What the second file changes against the first, by the rule the page states: new id; an end date before
    today where there was none or a later one; any other difference; the same; an id left out."""
    counts = dict.fromkeys(KINDS, 0)
    for activity_id, row in after.items():
        old = before.get(activity_id)
        if old is None:
            counts["new"] += 1
        elif row["end_date"] and row["end_date"] < today and (not old["end_date"] or old["end_date"] >= today):
            counts["ended"] += 1
        elif row != old:
            counts["changed"] += 1
        else:
            counts["unchanged"] += 1
    counts["not in this return"] = len(set(before) - set(after))
    return counts


def metrics(page, count: int) -> dict[str, str]:
    """The page's metrics, label -> value as shown, once `count` of them are drawn."""
    page.wait_for_function("n => document.querySelectorAll('[data-testid=stMetric]').length >= n", arg=count)
    wait_for_app(page)
    found = {}
    for metric in page.locator("[data-testid=stMetric]").all():
        label = metric.locator("[data-testid=stMetricLabel]").inner_text().strip()
        found[label] = metric.locator("[data-testid=stMetricValue]").inner_text().strip()
    return found


def audit_log(page, url: str) -> list[dict]:
    """The audit log as the admin exports it from the Admin page (CSV)."""
    page.goto(url + "/Admin")
    wait_for_app(page)
    page.get_by_role("tab", name="Audit log").click()
    page.get_by_role("button", name="Prepare the export").click()
    wait_for_app(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the audit log (CSV)").click()
    text = Path(download.value.path()).read_text(encoding="utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_a_partner_completes_a_round_from_the_prefilled_return(
    signin_url, signin_db, provider, new_person, browser, demo_db_file, test_output
):
    framework = load_framework()
    # The admin opens the round on the Reporting round page, expecting two partners, with a deadline.
    admin_context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    admin_context.grant_permissions(["clipboard-read", "clipboard-write"], origin=signin_url)
    admin = admin_context.new_page()
    admin.set_default_timeout(30_000)
    sign_in(admin, signin_url, provider, PEOPLE["admin"])
    admin.goto(signin_url + "/Reporting_round")
    wait_for_app(admin)
    admin.get_by_label("Name of the round").fill(ROUND)
    admin.get_by_role("spinbutton", name="day, Deadline").click()  # day, month, year: each moves on to the next
    admin.keyboard.type(f"{DEADLINE:%d%m%Y}")
    admin.keyboard.press("Escape")  # close the calendar that opened beside it
    assert admin.get_by_role("spinbutton", name="month, Deadline").get_attribute("aria-valuenow") == str(DEADLINE.month)
    admin.get_by_text("Every partner is expected to return").click()
    for name in (RETURNING, WAITING):
        admin.get_by_role("combobox", name="Or only these partners").click()
        admin.keyboard.type(name)
        admin.get_by_role("option", name=name, exact=True).click()
    admin.keyboard.press("Escape")
    screenshot(admin, test_output / "round-journey-1-open.png")
    admin.get_by_role("button", name="Open the round").click()
    wait_for_app(admin)
    admin.get_by_text(f"Opened the round {ROUND}.").wait_for()
    assert metrics(admin, 4) == {"Partners expected": "2", "Returned": "0", "Late": "0", "Not started": "2"}

    # The partner's volunteer opens the Upload page: the round is named, the return is pre-filled.
    partner = new_person()
    sign_in(partner, signin_url, provider, VOLUNTEER)
    partner.goto(signin_url + "/Upload")
    wait_for_app(partner)
    partner.get_by_text(f"You report for {RETURNING}, your organisation.").wait_for()
    partner.get_by_text(f"Reporting round {ROUND}: your return is due on {DEADLINE.day} {DEADLINE:%B %Y}.").wait_for()
    stored = stored_activities(demo_db_file, RETURNING)
    assert len(stored) >= 4, "the journey needs a partner with a few activities"
    download_button = partner.get_by_role("button", name=f"Your return, with your {len(stored)} current activities")
    with partner.expect_download() as download:
        download_button.click()
    assert download.value.suggested_filename == "return-2026-27-q2-erewash-community-trust.xlsx"
    original = test_output / "round-journey-return.xlsx"
    download.value.save_as(original)

    book = load_workbook(original)
    sheet = book["Activities"]
    before = sheet_rows(sheet)
    assert set(before) == set(stored)  # exactly the partner's current activities
    for activity_id, fields in stored.items():
        row = before[activity_id]
        assert {
            k: (float(row[k]) if k == "investment_gbp" and row[k] is not None else row[k]) for k in fields
        } == fields, activity_id
    header = [c.value for c in sheet[1]]
    last_row = len(before) + 1
    validations = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    for column in LIST_COLUMNS:  # each drop-down still covers the filled rows and the rows below them
        letter = sheet.cell(row=1, column=header.index(column) + 1).column_letter
        validation = validations[f"{letter}2"]
        assert validation.type == "list" and validation.formula1.startswith("=Lists!")
        assert int(str(validation.sqref).split(":")[1].lstrip(letter)) > last_row + 100

    # The volunteer updates it as they would in Excel: an end date, a number, a status, and one new row.
    rows_by_id = {sheet.cell(row=r, column=1).value: r for r in range(2, last_row + 1)}
    running = [i for i, row in before.items() if row["end_date"] is None and row["status"] == "active"]
    ending, paused = running[0], running[-1]
    counted = next(i for i in before if i not in (ending, paused))
    assert len({ending, counted, paused}) == 3
    column = {name: header.index(name) + 1 for name in header}
    sheet.cell(row=rows_by_id[ending], column=column["end_date"], value=date(2026, 5, 31)).number_format = "DD/MM/YYYY"
    sheet.cell(
        row=rows_by_id[counted], column=column["participants"], value=(before[counted]["participants"] or 0) + 40
    )
    sheet.cell(row=rows_by_id[paused], column=column["status"], value="paused")
    gap = analysis.gaps(duckdb.connect(str(demo_db_file), read_only=True), framework, Filters(), DEMO_TODAY.year)
    gap = gap[gap.kind == "none"].iloc[0]  # a place with no activity for an aim: the new activity goes there
    new_row = [sheet.cell(row=rows_by_id[ending], column=c).value for c in range(1, len(header) + 1)]
    new_row[column["activity_id"] - 1] = "EREWASH-NEW-1"
    new_row[column["title"] - 1] = f"Family bike club ({gap.place})"
    new_row[column["places"] - 1] = gap.place
    new_row[column["aims"] - 1] = framework.item("aim", gap.aim_code).short  # as the drop-down offers it
    new_row[column["start_date"] - 1] = date(2026, 6, 1)
    new_row[column["end_date"] - 1] = None
    new_row[column["status"] - 1] = "active"
    new_row[column["participants"] - 1] = 30
    for index, value in enumerate(new_row, start=1):
        cell = sheet.cell(row=last_row + 1, column=index, value=value)
        if isinstance(value, date):
            cell.number_format = "DD/MM/YYYY"
    updated = test_output / "round-journey-return-updated.xlsx"
    book.save(updated)
    after = sheet_rows(load_workbook(updated)["Activities"])
    expected = expected_changes(before, after, DEMO_TODAY)
    assert expected["new"] == 1 and expected["ended"] == 1 and expected["changed"] == 2

    # Upload: the preview says what changes, with the counts worked out from the two files.
    partner.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        files=[
            {
                "name": updated.name,
                "buffer": updated.read_bytes(),
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            }
        ]
    )
    wait_for_app(partner)
    partner.get_by_role("button", name=f"Load {len(after)} activities").wait_for()  # drawn after the counts
    assert metrics(partner, len(KINDS)) == {kind.capitalize(): str(n) for kind, n in expected.items()}
    screenshot(partner, test_output / "round-journey-2-preview.png")
    partner.get_by_role("button", name=f"Load {len(after)} activities").click()
    wait_for_app(partner)
    partner.get_by_text(f"Where {RETURNING} fits").wait_for()
    main = partner.locator("[data-testid=stMain]")
    partner.wait_for_function("() => document.querySelector('[data-testid=stMain]').innerText.includes('In 2026')")
    partner.get_by_text("Who else works on the same aims in the same places").wait_for()
    wait_for_app(partner)
    text = main.inner_text()
    assert f"In {DEMO_TODAY.year}, {RETURNING}'s" in text
    assert "1 place and aim pair that would otherwise have no or thin activity" in text  # the new activity's gap
    screenshot(partner, test_output / "round-journey-3-where-you-fit.png")

    partner.goto(signin_url + "/Reporting_round")  # the partner's own status, and only theirs
    wait_for_app(partner)
    partner.get_by_text(f"{ROUND}: your return is due on").wait_for()
    assert "received on" in partner.locator("[data-testid=stMain]").inner_text()
    assert WAITING not in partner.locator("[data-testid=stMain]").inner_text()

    # The admin sees the return; the partner that has not returned is not started, with a reminder to copy.
    admin.reload()
    wait_for_app(admin)
    admin.get_by_text("Reminders").wait_for()
    assert metrics(admin, 4) == {"Partners expected": "2", "Returned": "1", "Late": "0", "Not started": "1"}
    admin.get_by_role("combobox", name="Reminder for").click()  # offered for the partners yet to return only
    admin.get_by_role("option").first.wait_for()
    assert [o.strip() for o in admin.get_by_role("option").all_inner_texts()] == [WAITING]
    admin.keyboard.press("Escape")
    code = admin.locator("[data-testid=stCode]")
    code.hover()
    code.get_by_role("button").first.click()  # the copy button at the text's top right
    copied = admin.evaluate("() => navigator.clipboard.readText()")
    assert copied.strip() == code.inner_text().strip()
    assert WAITING in copied and ROUND in copied
    assert f"due on {DEADLINE:%A} {DEADLINE.day} {DEADLINE:%B %Y}" in copied  # GOV.UK style: Friday 31 July 2026
    assert f"{signin_url}/Upload?partner={quote(WAITING)}" in copied
    admin.get_by_role("button", name="Mark this reminder as sent").click()
    wait_for_app(admin)
    admin.get_by_text(f"Recorded: reminder for {WAITING} sent.").wait_for()
    screenshot(admin, test_output / "round-journey-4-status.png")

    # The reminder's link opens the waiting partner's Upload page with their organisation chosen.
    admin.goto(f"{signin_url}/Upload?partner={quote(WAITING)}")
    wait_for_app(admin)
    admin.get_by_role("button", name="Your return, with your").wait_for()
    admin.get_by_text(f"Reporting round {ROUND}: your return is due on").wait_for()  # the waiting partner's round
    assert admin.get_by_role("button", name="Your return, with your").inner_text().count(" current activities") == 1
    assert admin.get_by_role("combobox", name="Your organisation").input_value() == WAITING

    entries = audit_log(admin, signin_url)
    returns = [e for e in entries if e["action"] == "upload activities" and e["actor"] == VOLUNTEER]
    assert len(returns) == 1 and updated.name in returns[0]["detail"] and RETURNING in returns[0]["detail"]
    reminders = [e for e in entries if e["action"] == "round reminder sent"]
    assert [(e["actor"], e["detail"]) for e in reminders] == [(PEOPLE["admin"], f"{ROUND}: reminder for {WAITING}")]
    admin_context.close()
