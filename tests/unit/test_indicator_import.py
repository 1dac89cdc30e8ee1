"""Importing indicator files: the Fingertips download unchanged, the product's template, and every way a file can be
wrong."""

import hashlib
import json
from pathlib import Path

import pytest

from strategy.access import LOCAL_USER, User
from strategy.indicators.importer import import_indicator_file
from strategy.safekeeping.originals import original_bytes

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
FINGERTIPS_DOWNLOAD = (FIXTURES / "fingertips_93015_download.csv").read_bytes()

TEMPLATE_PLAIN = b"""indicator_id,place_code,period,value,lower_ci,upper_ci,count,denominator
93014,E07000174,2023/24,58.1,55.0,61.2,,
93014,E92000001,2023/24,63.7,63.5,63.9,,
93014,E07000174,2022/23,,,,,
"""
TEMPLATE_NEW_INDICATOR_SEMICOLONS_CP1252 = (
    "Indicator ID;Indicator name;Place code;Period;Value;Count;Denominator;Polarity;Unit;Comment\r\n"
    "X1;Walking for travel (café survey);E06000015;2024;12,5;25;200;higher;%;é\r\n"
    "X1;Walking for travel (café survey);E92000001;2024;14;1400;10000;higher;%;\r\n"
).encode("cp1252")
TEMPLATE_EVERY_ROW_WRONG = b"""indicator_id,place_code,period,value,lower_ci,upper_ci,count,denominator
93014,E07000174,2023/24,sixty,,,,
93014,E12000004,2023/24,60,,,,
93014,E07000174,,60,,,,
93014,E07000176,2023/24,60,62,58,,
93014,E07000175,2023/24,60,61,65,,
93014,E07000173,2023/24,60,,,120,100
NEWONE,E07000173,2023/24,60,,,,
93014,E07000176,2023/24,59,,,,
"""
NOT_AN_INDICATOR_FILE = b"activity_id,title,sector\nA1,Walking group,sport\n"


def _current(con, indicator_id, place_code):
    return con.execute(
        "SELECT period, value, lower_ci, upper_ci, count, denominator, value_note "
        "FROM current_indicator_values WHERE indicator_id = ? AND place_code = ? ORDER BY period",
        [indicator_id, place_code],
    ).df()


def test_a_fingertips_download_imports_unchanged_keeping_persons_rows_of_the_partnerships_places(
    writable_con, framework
):
    report = import_indicator_file(writable_con, framework, FINGERTIPS_DOWNLOAD, "indicator-data.csv", actor=LOCAL_USER)
    assert report.status == "loaded", report.errors
    assert report.layout == "fingertips"
    assert report.rows == 20  # England, Mansfield, Rushcliffe, Derbyshire Dales x 5 years
    mansfield = _current(writable_con, "93015", "E07000174")
    mansfield = mansfield[mansfield["count"].notna()]  # the uploaded years (the reference has no counts)
    assert list(mansfield.period) == ["2019/20", "2020/21", "2021/22", "2022/23", "2023/24"]
    latest = mansfield.iloc[-1]
    assert latest.value == pytest.approx(100 * 171 / 507, abs=1e-5)
    assert (latest["count"], latest.denominator) == (171, 507)
    assert latest.lower_ci < latest.value < latest.upper_ci


def test_fingertips_import_says_what_it_skipped(writable_con, framework):
    report = import_indicator_file(writable_con, framework, FINGERTIPS_DOWNLOAD, "indicator-data.csv", actor=LOCAL_USER)
    skipped = " ".join(report.warnings)
    assert "1 row(s) broken down by a category" in skipped
    assert "8 row(s) for Female or Male" in skipped
    assert "5 row(s) for areas outside the partnership, such as East Midlands region" in skipped
    england = _current(writable_con, "93015", "E92000001").set_index("period")
    assert england.loc["2023/24", "count"] == 38800  # the deprivation-decile row did not replace England


def test_a_suppressed_value_is_stored_as_missing_never_as_zero(writable_con, framework):
    import_indicator_file(writable_con, framework, FINGERTIPS_DOWNLOAD, "indicator-data.csv", actor=LOCAL_USER)
    dales = _current(writable_con, "93015", "E07000035").set_index("period")
    assert dales.loc["2020/21"].isna()[["value", "lower_ci", "upper_ci"]].all()
    assert "suppressed" in dales.loc["2020/21"].value_note
    assert dales.loc["2021/22"].value == pytest.approx(100 * 104 / 470, abs=1e-5)


def test_an_imported_value_replaces_the_reference_value_for_the_same_place_and_period(writable_con, framework):
    before = _current(writable_con, "93015", "E07000174").set_index("period")
    assert before.loc["2023/24"].lower_ci != before.loc["2023/24"].lower_ci  # NaN: the reference has no interval
    import_indicator_file(writable_con, framework, FINGERTIPS_DOWNLOAD, "indicator-data.csv", actor=LOCAL_USER)
    after = _current(writable_con, "93015", "E07000174").set_index("period")
    assert after.loc["2023/24"].lower_ci > 0
    assert after.loc["2015/16"].value == before.loc["2015/16"].value  # periods not in the file keep the reference


def test_an_upload_keeps_the_original_bytes_its_checksum_and_an_audit_entry(writable_con, framework):
    report = import_indicator_file(
        writable_con, framework, FINGERTIPS_DOWNLOAD, "indicator-data.csv", actor=User("analyst@example.org", "analyst")
    )
    upload = writable_con.execute(
        "SELECT kind, uploaded_by, sha256, original, rows_loaded, status, report FROM uploads WHERE upload_id = ?",
        [report.upload_id],
    ).fetchall()[0]
    kind, who, sha256, original, rows_loaded, status, stored_report = upload
    assert (kind, who, rows_loaded, status) == ("indicators", "analyst@example.org", 20, "loaded")
    assert original is None and original_bytes(writable_con, report.upload_id) == FINGERTIPS_DOWNLOAD
    assert sha256 == hashlib.sha256(FINGERTIPS_DOWNLOAD).hexdigest()
    assert json.loads(stored_report)["upload_id"] == report.upload_id
    audit = writable_con.execute(
        "SELECT actor, action FROM audit_log WHERE upload_id = ?", [report.upload_id]
    ).fetchall()
    assert audit == [("analyst@example.org", "import indicators")]


def test_the_same_file_twice_is_reported_as_a_duplicate_and_not_loaded_again(writable_con, framework):
    first = import_indicator_file(writable_con, framework, FINGERTIPS_DOWNLOAD, "a.csv", actor=LOCAL_USER)
    count = writable_con.execute("SELECT count(*) FROM indicator_values").fetchall()[0][0]
    second = import_indicator_file(writable_con, framework, FINGERTIPS_DOWNLOAD, "copy of a.csv", actor=LOCAL_USER)
    assert second.status == "duplicate" and second.upload_id == first.upload_id
    assert writable_con.execute("SELECT count(*) FROM indicator_values").fetchall()[0][0] == count


def test_a_dry_run_validates_without_writing(writable_con, framework):
    before = writable_con.execute("SELECT count(*) FROM indicator_values").fetchall()[0][0]
    report = import_indicator_file(
        writable_con, framework, FINGERTIPS_DOWNLOAD, "a.csv", actor=LOCAL_USER, dry_run=True
    )
    assert report.status == "valid" and report.rows == 20 and report.upload_id is None
    assert writable_con.execute("SELECT count(*) FROM indicator_values").fetchall()[0][0] == before
    assert writable_con.execute("SELECT count(*) FROM uploads").fetchall()[0][0] == 0


def test_the_template_loads_values_and_keeps_blank_values_missing(writable_con, framework):
    report = import_indicator_file(writable_con, framework, TEMPLATE_PLAIN, "template.csv", actor=LOCAL_USER)
    assert report.status == "loaded" and report.layout == "template" and report.rows == 3
    mansfield = _current(writable_con, "93014", "E07000174").set_index("period")
    assert mansfield.loc["2023/24"].value == 58.1 and mansfield.loc["2023/24"].upper_ci == 61.2
    assert mansfield.loc["2022/23"].isna().value


def test_a_new_indicator_in_a_windows_1252_semicolon_file_is_added_with_its_polarity(writable_con, framework):
    report = import_indicator_file(
        writable_con, framework, TEMPLATE_NEW_INDICATOR_SEMICOLONS_CP1252, "x.csv", actor=LOCAL_USER
    )
    assert report.status == "loaded", report.errors
    assert any("Comment" in w for w in report.warnings)
    indicator = writable_con.execute("SELECT name, polarity, unit FROM indicators WHERE indicator_id = 'X1'").fetchall()
    assert indicator == [("Walking for travel (café survey)", "higher_is_better", "%")]
    assert _current(writable_con, "X1", "E06000015").value[0] == 12.5


def test_every_problem_in_the_file_is_reported_at_once_and_nothing_is_written(writable_con, framework):
    report = import_indicator_file(writable_con, framework, TEMPLATE_EVERY_ROW_WRONG, "bad.csv", actor=LOCAL_USER)
    assert report.status == "rejected"
    found = {(e["row"], e["column"]) for e in report.errors}
    assert found == {
        (2, "value"),
        (3, "place_code"),
        (4, "period"),
        (5, "lower_ci"),
        (6, "value"),
        (7, "count"),
        (8, "indicator_id"),
        (9, "period"),
    }
    assert all(e["message"] for e in report.errors)
    assert writable_con.execute("SELECT count(*) FROM uploads").fetchall()[0][0] == 0
    imported = writable_con.execute("SELECT count(*) FROM indicator_values WHERE upload_id IS NOT NULL").fetchall()
    assert imported[0][0] == 0


def test_a_file_that_is_not_an_indicator_file_is_rejected_with_what_columns_it_needs(writable_con, framework):
    report = import_indicator_file(writable_con, framework, NOT_AN_INDICATOR_FILE, "activities.csv", actor=LOCAL_USER)
    assert report.status == "rejected"
    assert report.errors[0]["row"] == 1 and "indicator_id" in report.errors[0]["message"]


def test_a_rolled_back_upload_no_longer_supplies_current_values(writable_con, framework):
    report = import_indicator_file(writable_con, framework, TEMPLATE_PLAIN, "template.csv", actor=LOCAL_USER)
    writable_con.execute("UPDATE uploads SET status = 'rolled back' WHERE upload_id = ?", [report.upload_id])
    mansfield = _current(writable_con, "93014", "E07000174").set_index("period")
    assert mansfield.loc["2023/24"].value != 58.1  # back to the reference figure
