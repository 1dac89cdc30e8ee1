"""The reporting round in AppTest: a partner's journey on the Upload page (organisation chosen, the pre-filled
return, uploaded unchanged, nothing changes, the round says returned) and the leaders' Reporting round page."""

from __future__ import annotations

import pytest

from strategy import db
from strategy.access import LOCAL_USER
from strategy.rounds import open_round, prefilled_return, round_status
from strategy.rounds.organisations import NEW_ORGANISATION


def busiest_partner(path) -> tuple[str, int]:
    con = db.connect(path, read_only=True)
    try:
        return con.execute(
            "SELECT p.name, count(*) FROM activities a JOIN partners p USING (partner_id) WHERE "
            "a.replaced_by_upload IS NULL AND NOT a.is_experiment GROUP BY p.name "
            "ORDER BY count(*) DESC, p.name LIMIT 1"
        ).fetchall()[0]
    finally:
        con.close()


@pytest.fixture
def round_db(demo_db_copy):
    """The demo with a round open for its busiest partner, and that partner's return as the core writes it."""
    partner, count = busiest_partner(demo_db_copy)
    con = db.connect(demo_db_copy)
    try:
        open_round(con, LOCAL_USER, "2026/27 Q2", "2026-07-15", partners=[partner])
        data = prefilled_return(con, LOCAL_USER, partner, round_name="2026/27 Q2")
    finally:
        con.close()
    return demo_db_copy, partner, count, data


def app_connection(path):
    """A cursor on the app's own connection (the file is open for writing in this process)."""
    from strategy.ui import connection

    return connection(str(path)).cursor()


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_partner_completes_a_round_from_the_prefilled_return(round_db, open_page):
    path, partner, count, data = round_db
    at = open_page("pages/5_Upload.py", path, {"partner": partner})  # the reminder's link names the organisation
    assert not at.exception
    assert at.selectbox(key="upload_choice").value == partner
    assert any(
        "Reporting round 2026/27 Q2: your return is due on 15 July 2026" in i.value.replace("\\", "") for i in at.info
    )
    offered = [b for b in at.get("download_button") if b.proto.label.startswith("Your return")]
    assert offered and offered[0].proto.label == f"Your return, with your {count:,} current activities (.xlsx)"

    at.file_uploader(key="upload_file").upload(
        "return.xlsx", data, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    ).run()
    assert not at.exception, at.exception
    assert metrics(at) == {
        "New": "0",
        "Ended": "0",
        "Changed": "0",
        "Not in this return": "0",
        "Unchanged": f"{count:,}",
    }
    at.button(key="upload_load").click().run()
    assert not at.exception
    shown = [s.value.replace("\\", "") for s in at.success]
    assert any(f"Loaded {count:,} activities for {partner}" in text for text in shown)
    assert any("Reporting round 2026/27 Q2: your return arrived on" in text for text in shown)
    _, status = round_status(app_connection(path), LOCAL_USER, "2026/27 Q2")
    assert dict(zip(status.partner, status.status)) == {partner: "returned"}


def test_a_new_organisation_shows_near_matches_first(round_db, open_page):
    path, partner, _, _ = round_db
    at = open_page("pages/5_Upload.py", path)
    at.selectbox(key="upload_choice").select(NEW_ORGANISATION).run()
    typo = partner[:3] + partner[4:]  # one letter dropped
    at.text_input(key="upload_new_partner").input(typo).run()
    assert any("Is it one of these partners?" in w.value for w in at.warning)
    assert at.checkbox(key="upload_new_confirmed").value is False  # nothing is added until confirmed
    near = [b for b in at.button if b.label == partner]
    assert near, [b.label for b in at.button]
    near[0].click().run()
    assert at.selectbox(key="upload_choice").value == partner


def test_leaders_see_who_has_returned_and_copy_a_reminder(round_db, open_page):
    path, partner, _, _ = round_db
    at = open_page("pages/12_Reporting_round.py", path)
    assert not at.exception
    assert metrics(at) == {"Partners expected": "1", "Returned": "0", "Late": "0", "Not started": "1"}
    table = at.dataframe[0].value
    assert table.partner.tolist() == [partner] and table.status.tolist() == ["not started"]
    reminder = at.code[0].value
    assert "2026/27 Q2" in reminder and "due on Wednesday 15 July 2026" in reminder and "/Upload?partner=" in reminder
    at.button(key="round_reminder_sent").click().run()
    assert not at.exception
    logged = (
        app_connection(path).execute("SELECT detail FROM audit_log WHERE action = 'round reminder sent'").fetchall()
    )
    assert logged == [(f"2026/27 Q2: reminder for {partner}",)]


def test_leaders_open_a_round_on_the_page(demo_db_copy, open_page):
    at = open_page("pages/12_Reporting_round.py", demo_db_copy)
    assert "No reporting round has been opened yet." in at.info[0].value
    at.text_input(key="round_name").input("2026/27 Q3")
    next(b for b in at.button if b.label == "Open the round").click().run()
    assert not at.exception
    assert any("Opened the round 2026/27 Q3" in s.value.replace("\\", "") for s in at.success)
    assert metrics(at)["Partners expected"] == str(partner_count(demo_db_copy))


def partner_count(path) -> int:
    return app_connection(path).execute("SELECT count(*) FROM partners").fetchall()[0][0]
