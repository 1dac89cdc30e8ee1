"""Every import and every roll back is preceded by an automatic backup of the state before it; if that backup
cannot be written, the change is refused and nothing is written."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from strategy import db
from strategy.access import LOCAL_USER
from strategy.ingest import DUPLICATE, LOADED, REJECTED, VALID, import_activities, rollback_upload
from strategy.safekeeping import backup
from tests.activity_files import csv_bytes, row

FILE = csv_bytes([row(activity_id=f"AB-{i}", places="Ashfield") for i in range(40)])


@pytest.fixture
def writable(demo_db_copy, tmp_path, monkeypatch):
    monkeypatch.delenv("STRATEGY_BACKUP_DIR", raising=False)
    con = db.connect(demo_db_copy)
    yield con
    con.close()


def automatic_backups(database) -> list[dict]:
    """The manifests in the automatic folder beside the database, oldest first."""
    root = backup.backup_root(database) / backup.AUTOMATIC
    return [
        json.loads((folder / backup.MANIFEST).read_text())
        for folder in sorted(root.glob("*"))
        if (folder / backup.MANIFEST).exists()
    ]


def test_an_import_is_preceded_by_a_backup_of_the_state_before_it(writable, demo_db_copy):
    before = db.table_counts(writable)
    report = import_activities(writable, FILE, "a.csv", "Backed Up Trust", LOCAL_USER)
    assert report.status == LOADED
    (made,) = automatic_backups(demo_db_copy)
    assert made["reason"] == "before import Backed Up Trust"
    assert {table: made["tables"][table]["rows"] for table in before} == before  # the state before the upload
    assert db.table_counts(writable)["activities"] == before["activities"] + 40


def test_no_backup_for_a_dry_run_or_a_duplicate(writable, demo_db_copy):
    assert import_activities(writable, FILE, "a.csv", "Once", LOCAL_USER, dry_run=True).status == VALID
    assert automatic_backups(demo_db_copy) == []
    assert import_activities(writable, FILE, "a.csv", "Once", LOCAL_USER).status == LOADED
    assert import_activities(writable, FILE, "again.csv", "Once", LOCAL_USER).status == DUPLICATE
    assert len(automatic_backups(demo_db_copy)) == 1


def test_a_roll_back_is_preceded_by_a_backup_that_still_holds_the_upload(writable, demo_db_copy):
    report = import_activities(writable, FILE, "a.csv", "Rolled Back Trust", LOCAL_USER)
    with_upload = db.table_counts(writable)
    assert rollback_upload(writable, report.upload_id, LOCAL_USER).ok
    before_import, before_rollback = automatic_backups(demo_db_copy)
    assert before_rollback["reason"] == f"before roll back of upload {report.upload_id}"
    assert before_rollback["tables"]["activities"]["rows"] == with_upload["activities"]
    assert before_import["tables"]["activities"]["rows"] == with_upload["activities"] - 40


def test_old_automatic_backups_are_pruned_when_an_import_runs(writable, demo_db_copy, monkeypatch):
    monkeypatch.setenv("STRATEGY_BACKUP_KEEP_DAYS", "3")
    old = backup.automatic_backup(writable, "an old one")
    manifest = json.loads((old / backup.MANIFEST).read_text())
    manifest["created_at"] = (datetime.now(timezone.utc) - timedelta(days=4)).isoformat(timespec="seconds")
    (old / backup.MANIFEST).write_text(json.dumps(manifest))
    assert import_activities(writable, FILE, "a.csv", "Pruning Trust", LOCAL_USER).status == LOADED
    assert not old.exists()
    assert [m["reason"] for m in automatic_backups(demo_db_copy)] == ["before import Pruning Trust"]


@pytest.fixture
def unwritable_backup_folder(tmp_path, monkeypatch):
    """The backup folder cannot be created (a file is in the way), as when a disk or folder refuses writes."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the backup folder should be")
    monkeypatch.setenv("STRATEGY_BACKUP_DIR", str(blocker / "backups"))


def test_an_import_whose_backup_fails_is_refused_and_writes_nothing(writable, unwritable_backup_folder):
    before = db.table_counts(writable)
    report = import_activities(writable, FILE, "a.csv", "Unlucky Trust", LOCAL_USER)
    assert report.status == REJECTED
    assert "automatic backup" in report.message and "nothing was loaded" in report.message.lower()
    assert report.errors[0].kind == "backup failed"
    assert db.table_counts(writable) == before


def test_a_roll_back_whose_backup_fails_is_refused_and_changes_nothing(writable, tmp_path, monkeypatch):
    report = import_activities(writable, FILE, "a.csv", "Kept Trust", LOCAL_USER)
    before = db.table_counts(writable)
    blocker = tmp_path / "blocker"
    blocker.write_text("")
    monkeypatch.setenv("STRATEGY_BACKUP_DIR", str(blocker / "backups"))
    outcome = rollback_upload(writable, report.upload_id, LOCAL_USER)
    assert not outcome.ok
    assert "automatic backup" in outcome.message and "Nothing was rolled back" in outcome.message
    assert db.table_counts(writable) == before
    assert writable.execute("SELECT status FROM uploads WHERE upload_id = ?", [report.upload_id]).fetchall() == [
        ("loaded",)
    ]
