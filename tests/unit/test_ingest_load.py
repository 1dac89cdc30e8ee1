"""Loading is all or nothing: duplicates are recognised, re-uploads make new versions, roll back restores exactly."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
import tomllib
from io import BytesIO
from pathlib import Path

import pytest
from openpyxl import load_workbook

from strategy import db, exports
from strategy.access import LOCAL_USER, User
from strategy.filters import Filters
from strategy.ingest import DUPLICATE, LOADED, Limits, import_activities, read, rollback_upload, upload_history
from strategy.ingest.template import template_csv, template_xlsx
from strategy.safekeeping.originals import database_file, original_bytes, originals_folder
from tests.activity_files import GOOD, HEADER, HOSTILE_DESCRIPTION, HOSTILE_TITLE, csv_bytes, row
from tests.conftest import PROJECT_ROOT

ACTIVITY_TABLES = ("activities", "activity_aims", "activity_ways", "activity_themes", "activity_places", "partners")


@pytest.fixture
def demo_writable(demo_db_copy):
    con = db.connect(demo_db_copy)
    yield con
    con.close()


def snapshot(con) -> dict[str, list]:
    """Every row of the activity tables, sorted: two equal snapshots mean the same data."""
    return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in ACTIVITY_TABLES}


def test_same_bytes_twice_are_loaded_once(demo_writable):
    data = csv_bytes([GOOD])
    first = import_activities(demo_writable, data, "a.csv", "Twice Trust", LOCAL_USER)
    again = import_activities(demo_writable, data, "renamed.csv", "Twice Trust", LOCAL_USER)
    assert (first.status, again.status) == (LOADED, DUPLICATE)
    assert again.upload_id == first.upload_id and f"upload {first.upload_id}" in again.message
    assert demo_writable.execute("SELECT count(*) FROM activities WHERE activity_id = 'MM-1'").fetchall()[0][0] == 1


def test_upload_keeps_the_original_file_its_hash_and_who(demo_writable):
    data = csv_bytes([GOOD])
    report = import_activities(demo_writable, data, "a.csv", "Keeper", User("sam@example.org", "admin"))
    in_row, sha, who, rows = demo_writable.execute(
        "SELECT original, sha256, uploaded_by, rows_loaded FROM uploads WHERE upload_id = ?", [report.upload_id]
    ).fetchall()[0]
    assert sha == hashlib.sha256(data).hexdigest() and who == "sam@example.org" and rows == 1
    # Kept beside the database, named by its hash, not inside the row (see strategy/safekeeping/originals.py).
    assert in_row is None
    assert (originals_folder(database_file(demo_writable)) / sha).read_bytes() == data
    assert original_bytes(demo_writable, report.upload_id) == data
    assert demo_writable.execute("SELECT actor FROM audit_log WHERE upload_id = ?", [report.upload_id]).fetchall() == [
        ("sam@example.org",)
    ]


def test_reupload_replaces_an_activity_as_a_new_version(demo_writable):
    import_activities(demo_writable, csv_bytes([GOOD, row(activity_id="MM-2")]), "v1.csv", "Versioned", LOCAL_USER)
    second = import_activities(
        demo_writable, csv_bytes([row(title="Walking for health (bigger)")]), "v2.csv", "versioned", LOCAL_USER
    )  # partner names match regardless of case
    assert second.replaced_activities == 1 and second.new_activities == 0 and not second.partner_created
    versions = demo_writable.execute(
        "SELECT version, title, replaced_by_upload FROM activities WHERE activity_id = 'MM-1' ORDER BY version"
    ).fetchall()
    assert versions == [(1, "Walking for health", second.upload_id), (2, "Walking for health (bigger)", None)]


def test_rollback_restores_exactly_the_state_before(demo_writable):
    import_activities(demo_writable, csv_bytes([GOOD, row(activity_id="MM-2")]), "v1.csv", "Rolled", LOCAL_USER)
    before = snapshot(demo_writable)
    second = import_activities(
        demo_writable,
        csv_bytes([row(title="New title", places="All"), row(activity_id="MM-3", sector="Housing")]),
        "v2.csv",
        "Rolled",
        LOCAL_USER,
    )
    assert snapshot(demo_writable) != before
    outcome = rollback_upload(demo_writable, second.upload_id, LOCAL_USER)
    assert outcome.ok and (outcome.removed, outcome.restored) == (2, 1)
    assert snapshot(demo_writable) == before
    history = upload_history(demo_writable, "Rolled")
    assert history.set_index("upload_id").status[second.upload_id] == "rolled back"


def test_rollback_refuses_while_a_later_upload_replaced_its_activities(demo_writable):
    first = import_activities(demo_writable, csv_bytes([GOOD]), "v1.csv", "Ordered", LOCAL_USER)
    second = import_activities(demo_writable, csv_bytes([row(title="v2")]), "v2.csv", "Ordered", LOCAL_USER)
    refused = rollback_upload(demo_writable, first.upload_id, LOCAL_USER)
    assert not refused.ok and f"Roll back {second.upload_id} first" in refused.message
    assert rollback_upload(demo_writable, second.upload_id, LOCAL_USER).ok
    assert rollback_upload(demo_writable, first.upload_id, LOCAL_USER).ok
    assert demo_writable.execute("SELECT count(*) FROM activities WHERE activity_id = 'MM-1'").fetchall()[0][0] == 0


def test_rolled_back_file_can_be_loaded_again(demo_writable):
    data = csv_bytes([GOOD])
    first = import_activities(demo_writable, data, "a.csv", "Again", LOCAL_USER)
    rollback_upload(demo_writable, first.upload_id, LOCAL_USER)
    assert import_activities(demo_writable, data, "a.csv", "Again", LOCAL_USER).status == LOADED


def test_demo_upload_cannot_be_rolled_back_here(demo_writable):
    assert not rollback_upload(demo_writable, 1, LOCAL_USER).ok
    assert not rollback_upload(demo_writable, 999, LOCAL_USER).ok


def test_loaded_activities_appear_in_the_heatmap_with_place_shares(demo_writable, framework):
    from strategy import analysis

    before = analysis.heatmap(demo_writable, framework, Filters(partners=("Heat Trust",)))
    assert before.activities.sum() == 0
    import_activities(
        demo_writable,
        csv_bytes([row(places="Derbyshire", aims="A3", ways_of_working="W4")]),
        "h.csv",
        "Heat Trust",
        LOCAL_USER,
    )
    cells = analysis.heatmap(demo_writable, framework, Filters(partners=("Heat Trust",)))
    assert cells.set_index(["row_code", "column_code"]).activities[("A3", "W4")] == 1
    shares = demo_writable.execute(
        "SELECT sum(share), count(*) FROM activity_places JOIN activities USING "
        "(activity_key) WHERE activity_id = 'MM-1' AND partner_id = (SELECT partner_id "
        "FROM partners WHERE name = 'Heat Trust')"
    ).fetchall()[0]
    assert shares[0] == pytest.approx(1.0) and shares[1] == 8


def test_new_partner_gets_the_most_common_sector_of_its_activities(demo_writable):
    rows = [row(sector="Housing"), row(activity_id="MM-2", sector="Housing"), row(activity_id="MM-3", sector="Sport")]
    import_activities(demo_writable, csv_bytes(rows), "s.csv", "Homes Ltd", LOCAL_USER)
    assert demo_writable.execute("SELECT sector FROM partners WHERE name = 'Homes Ltd'").fetchall() == [("housing",)]


def test_hostile_text_is_stored_verbatim_and_exported_neutralised(demo_writable, framework):
    import_activities(
        demo_writable,
        csv_bytes([row(title=HOSTILE_TITLE, description=HOSTILE_DESCRIPTION)]),
        "h.csv",
        "Hostile",
        LOCAL_USER,
    )
    stored = demo_writable.execute(
        "SELECT title, description FROM activities a JOIN partners p USING (partner_id) WHERE p.name = 'Hostile'"
    ).fetchall()
    assert stored == [(HOSTILE_TITLE, HOSTILE_DESCRIPTION)]
    table = exports.activities_export(demo_writable, framework, Filters(partners=("Hostile",)), LOCAL_USER)
    text = exports.table_bytes(table, "csv").decode("utf-8-sig")
    assert "'" + HOSTILE_TITLE.replace('"', '""') in text
    assert demo_writable.execute("SELECT count(*) FROM activities").fetchall()[0][0] > 1000  # nothing dropped


def test_dry_run_writes_nothing(demo_writable):
    before = db.table_counts(demo_writable)
    report = import_activities(demo_writable, csv_bytes([GOOD]), "a.csv", "Dry", LOCAL_USER, dry_run=True)
    assert report.status == "valid" and report.preview.activity_id.tolist() == ["MM-1"]
    assert "Mansfield → E07000174" in report.preview.places[0]
    assert db.table_counts(demo_writable) == before


def test_upload_limit_matches_streamlit_setting():
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == Limits().max_megabytes


def test_report_json_has_the_designed_shape(demo_writable):
    report = import_activities(demo_writable, csv_bytes([row(places="Nowhere")]), "a.csv", "J", LOCAL_USER)
    shaped = json.loads(json.dumps(report.as_json()))
    assert {"status", "rows", "upload_id", "errors", "warnings"} <= set(shaped)
    assert shaped["errors"][0] == {
        "row": 2,
        "column": "places",
        "value": "Nowhere",
        "kind": "unknown place",
        "message": shaped["errors"][0]["message"],
    }


def test_csv_template_is_the_header_row(demo_writable):
    assert template_csv().decode("utf-8-sig").strip().split(",") == HEADER
    report = import_activities(demo_writable, template_csv(), "t.csv", "T", LOCAL_USER, dry_run=True)
    assert [p.kind for p in report.errors] == ["no activities"]


def test_excel_template_has_drop_downs_and_a_guide(framework, demo_writable):
    book = load_workbook(BytesIO(template_xlsx(framework)))
    assert book.sheetnames == ["Activities", "Lists", "Guide"]
    sheet = book["Activities"]
    assert [c.value for c in sheet[1]] == HEADER
    ranges = {str(v.sqref).split(":")[0][0]: v.formula1 for v in sheet.data_validations.dataValidation}
    for column in ("sector", "places", "aims", "ways_of_working", "themes"):
        assert chr(ord("A") + HEADER.index(column)) in ranges, column
    lists = book["Lists"]
    aims_column = [c.value for c in lists["C"] if c.value][1:]
    assert aims_column == [a.short for a in framework.aims]
    assert [r[0].value for r in book["Guide"].iter_rows(min_row=2, max_row=15)] == HEADER
    # A filled-in template (drop-down values as picked) loads.
    sheet.append(
        [
            "T-1",
            "From the template",
            None,
            lists["A2"].value,
            "Derbyshire; Mansfield",
            f"{aims_column[0]}; {aims_column[3]}",
            lists["D2"].value,
            lists["E2"].value,
            "01/04/2024",
            None,
            "active",
            10,
            100,
            None,
        ]
    )
    buffer = BytesIO()
    book.save(buffer)
    report = import_activities(demo_writable, buffer.getvalue(), "template.xlsx", "Template User", LOCAL_USER)
    assert report.status == LOADED, [p.as_dict() for p in report.errors]


def test_every_column_and_command_is_documented():
    from strategy.ingest.columns import COLUMN_NAMES

    text = (PROJECT_ROOT / "docs" / "upload.md").read_text(encoding="utf-8")
    for name in COLUMN_NAMES:
        assert f"`{name}`" in text, name
    for command in ("import activities FILE", "uploads", "rollback UPLOAD_ID", "STRATEGY_MAX_UPLOAD_MB"):
        assert command in text


def test_a_copy_of_a_file_left_by_a_killed_import_is_removed_by_the_next(demo_writable, tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    folder = read.MEMORY_FOLDER if os.access(read.MEMORY_FOLDER, os.W_OK) else tempfile.gettempdir()
    left = Path(folder) / f"{read.SCRATCH_STEM}.{ended.stdout.strip()}.killed.csv"
    ours = Path(folder) / f"{read.SCRATCH_STEM}.{os.getpid()}.running.csv"  # a running import's own copy
    left.write_bytes(b"activity_id\n")
    ours.write_bytes(b"activity_id\n")
    try:
        report = import_activities(demo_writable, csv_bytes([GOOD]), "a.csv", "Tidy Partner", LOCAL_USER)
        assert report.status == LOADED
        assert not left.exists() and ours.exists()
        assert list(Path(folder).glob(f"{read.SCRATCH_STEM}.{os.getpid()}.*.csv")) == [ours]  # its own is gone too
    finally:
        left.unlink(missing_ok=True)
        ours.unlink(missing_ok=True)
