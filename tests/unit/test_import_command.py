"""The command line: import activities / uploads / rollback, their JSON and exit statuses (docs/architecture.md)."""

from __future__ import annotations

import json

import pytest

from strategy.__main__ import main
from strategy.commands import build_parser
from strategy.commands.imports import IMPORT_KINDS
from tests.activity_files import GOOD, csv_bytes, row


def run(capsys, *argv) -> tuple[int, str]:
    status = main(list(argv))
    return status, capsys.readouterr().out


@pytest.fixture
def good_file(tmp_path):
    path = tmp_path / "good.csv"
    path.write_bytes(csv_bytes([GOOD, row(activity_id="MM-2")]))
    return path


def test_import_loads_then_recognises_the_duplicate(capsys, demo_db_copy, good_file):
    status, out = run(
        capsys, "--db", str(demo_db_copy), "import", "activities", str(good_file), "--partner", "CLI", "--json"
    )
    loaded = json.loads(out)
    assert status == 0 and loaded["status"] == "loaded" and loaded["rows"] == 2 and loaded["errors"] == []
    status, out = run(
        capsys, "--db", str(demo_db_copy), "import", "activities", str(good_file), "--partner", "CLI", "--json"
    )
    assert status == 0 and json.loads(out)["status"] == "duplicate"
    status, out = run(capsys, "--db", str(demo_db_copy), "uploads", "--json")
    listed = json.loads(out)
    assert status == 0 and listed[0]["upload_id"] == loaded["upload_id"] and listed[0]["partner"] == "CLI"
    status, out = run(capsys, "--db", str(demo_db_copy), "rollback", str(loaded["upload_id"]))
    assert status == 0 and "rolled back" in out
    status, _ = run(capsys, "--db", str(demo_db_copy), "rollback", str(loaded["upload_id"]))
    assert status == 1


def test_rejected_file_exits_1_with_every_error(capsys, demo_db_copy, tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([row(places="Atlantis"), row(activity_id="MM-2", start_date="30/02/2024")]))
    status, out = run(capsys, "--db", str(demo_db_copy), "import", "activities", str(bad), "--partner", "CLI", "--json")
    report = json.loads(out)
    assert status == 1 and report["status"] == "rejected"
    assert [(e["row"], e["column"], e["value"]) for e in report["errors"]] == [
        (2, "places", "Atlantis"),
        (3, "start_date", "30/02/2024"),
    ]


def test_dry_run_says_valid_and_writes_nothing(capsys, demo_db_copy, good_file):
    status, out = run(
        capsys,
        "--db",
        str(demo_db_copy),
        "import",
        "activities",
        str(good_file),
        "--partner",
        "CLI",
        "--dry-run",
        "--json",
    )
    assert status == 0 and json.loads(out)["status"] == "valid" and json.loads(out)["upload_id"] is None
    status, out = run(capsys, "--db", str(demo_db_copy), "uploads", "--json")
    assert "activities" not in [u["kind"] for u in json.loads(out)]  # the demo's own uploads only


def test_usage_errors_exit_2(capsys, demo_db_copy, tmp_path):
    assert (
        main(["--db", str(demo_db_copy), "import", "activities", str(tmp_path / "missing.csv"), "--partner", "X"]) == 2
    )
    with pytest.raises(SystemExit) as stopped:
        main(["--db", str(demo_db_copy), "import", "activities", "file.csv"])  # --partner is required
    assert stopped.value.code == 2


def test_import_is_a_group_other_kinds_can_join(tmp_path, monkeypatch):
    module = tmp_path / "extra_import_kind.py"
    module.write_text(
        "def register_import_widgets(kinds):\n    kinds.add_parser('widgets').set_defaults(run=lambda a: 0)\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(IMPORT_KINDS, "widgets", "extra_import_kind:register_import_widgets")
    arguments = build_parser().parse_args(["import", "widgets"])
    assert arguments.run(arguments) == 0
    assert build_parser().parse_args(["import", "activities", "f.csv", "--partner", "P"]).partner == "P"


def test_a_hostile_workbook_is_a_json_rejection_not_a_traceback(capsys, demo_db_copy, tmp_path):
    from tests.activity_files import LAUGHS, SHEET, rewritten_xlsx, with_doctype, xlsx_bytes, xlsx_row

    path = tmp_path / "laughs.xlsx"
    path.write_bytes(rewritten_xlsx(xlsx_bytes([xlsx_row()]), SHEET, with_doctype(LAUGHS, "lol9")))
    status, out = run(
        capsys, "--db", str(demo_db_copy), "import", "activities", str(path), "--partner", "CLI", "--json"
    )
    answer = json.loads(out)
    assert status == 1 and answer["status"] == "rejected"
    assert answer["errors"][0]["kind"] == "not a spreadsheet" and "Save As" in answer["errors"][0]["message"]
