"""Backups and restores: the drill (build, back up, damage, restore, compare every table), refusals, pruning, and
a backup taken while another process holds the database."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta, timezone

import pytest

from strategy import analysis, db
from strategy.filters import Filters
from strategy.safekeeping import backup, restore
from strategy.safekeeping import backup_beside_server as backup_requests
from tests.conftest import DEMO_CURRENT_ACTIVITIES, PROJECT_ROOT


def every_table(path) -> dict[str, list[tuple]]:
    """Every base table's rows as Python values, sorted by all columns, for a row-by-row comparison."""
    con = db.connect(path, read_only=True)
    try:
        return {
            table: con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall() for table in backup.base_tables(con)
        }
    finally:
        con.close()


def test_restore_drill_brings_back_every_table_exactly(demo_db_copy, tmp_path, framework):
    con = db.connect(demo_db_copy)
    db.audit(con, "drill@example.org", "drill", "a row with a quote ' and a newline\nin it")
    before_totals = analysis.headline_totals(con, framework, Filters(places=("E07000174",)))
    con.close()
    original = every_table(demo_db_copy)

    con = db.connect(demo_db_copy)
    manifest = backup.write_backup(con, tmp_path / "backup")
    # damage: rows lost, a number changed, a table emptied
    con.execute("DELETE FROM activities WHERE activity_key % 3 = 0")
    con.execute("UPDATE activity_places SET share = 0.5")
    con.execute("DELETE FROM indicator_values")
    con.close()
    assert len(every_table(demo_db_copy)["activities"]) < len(original["activities"])

    report = restore.restore_backup(tmp_path / "backup", demo_db_copy)

    assert report.ok, report.problems
    restored = every_table(demo_db_copy)
    assert restored.keys() == original.keys()
    for table, rows in original.items():
        assert restored[table] == rows, table
    assert manifest["tables"]["activities"]["rows"] == DEMO_CURRENT_ACTIVITIES
    con = db.connect(demo_db_copy)
    assert analysis.headline_totals(con, framework, Filters(places=("E07000174",))) == before_totals  # macros too
    assert con.execute("SELECT nextval('upload_ids')").fetchall()[0][0] == manifest["sequences"]["upload_ids"]
    con.close()
    assert report.previous_copy.exists()  # the damaged file is kept, not deleted
    assert every_table(report.previous_copy)["indicator_values"] == []


def test_restore_rebuilds_a_database_file_that_no_longer_opens(demo_db_copy, tmp_path):
    con = db.connect(demo_db_copy)
    backup.write_backup(con, tmp_path / "backup")
    con.close()
    demo_db_copy.write_bytes(b"this is not a database any more" * 100)
    with pytest.raises(db.DatabaseUnavailable):
        db.connect(demo_db_copy).close()

    report = restore.restore_backup(tmp_path / "backup", demo_db_copy)

    assert report.ok, report.problems
    assert len(every_table(demo_db_copy)["activities"]) == DEMO_CURRENT_ACTIVITIES


def test_a_changed_backup_file_is_refused_and_nothing_is_replaced(demo_db_copy, tmp_path):
    con = db.connect(demo_db_copy)
    backup.write_backup(con, tmp_path / "backup")
    con.execute("DELETE FROM activities WHERE activity_key < 100")
    con.close()
    parquet = tmp_path / "backup" / "activities.parquet"
    parquet.write_bytes(parquet.read_bytes()[:-200])
    before = every_table(demo_db_copy)["activities"]

    report = restore.restore_backup(tmp_path / "backup", demo_db_copy)

    assert not report.ok
    assert any("activities.parquet" in problem for problem in report.problems)
    assert every_table(demo_db_copy)["activities"] == before


def test_a_folder_without_a_manifest_is_not_taken_for_a_backup(tmp_path, demo_db_copy):
    (tmp_path / "not-a-backup").mkdir()
    report = restore.restore_backup(tmp_path / "not-a-backup", demo_db_copy)
    assert not report.ok and "manifest.json" in report.problems[0]


def test_backup_refuses_a_folder_that_already_holds_files(demo_db_copy, tmp_path):
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "notes.txt").write_text("keep me")
    con = db.connect(demo_db_copy)
    with pytest.raises(backup.BackupFailed, match="already holds files"):
        backup.write_backup(con, tmp_path / "full")
    con.close()
    assert (tmp_path / "full" / "notes.txt").read_text() == "keep me"


def test_manifest_hash_changes_when_any_row_changes(demo_db_copy):
    con = db.connect(demo_db_copy)
    before = backup.table_fingerprints(con)
    con.execute("UPDATE activities SET title = title || '.' WHERE activity_key = 7")
    after = backup.table_fingerprints(con)
    con.close()
    assert after["activities"]["rows"] == before["activities"]["rows"]
    assert after["activities"]["content_md5"] != before["activities"]["content_md5"]
    assert after["activity_aims"] == before["activity_aims"]


def test_old_automatic_backups_are_pruned_and_the_newest_is_always_kept(demo_db_copy, tmp_path, monkeypatch):
    monkeypatch.setenv("STRATEGY_BACKUP_DIR", str(tmp_path / "backups"))
    monkeypatch.setenv("STRATEGY_BACKUP_KEEP_DAYS", "7")
    con = db.connect(demo_db_copy)
    first = backup.automatic_backup(con, "before import")
    second = backup.automatic_backup(con, "before roll back")
    con.close()
    for folder, age in ((first, 10), (second, 9)):  # age them on paper
        manifest = json.loads((folder / backup.MANIFEST).read_text())
        manifest["created_at"] = (datetime.now(timezone.utc) - timedelta(days=age)).isoformat()
        (folder / backup.MANIFEST).write_text(json.dumps(manifest))

    removed = backup.prune_automatic(tmp_path / "backups" / backup.AUTOMATIC, backup.keep_days())

    assert removed == [first]
    assert second.exists()
    assert [b["reason"] for b in backup.list_backups(tmp_path / "backups")] == ["before roll back"]


HOLD_DATABASE = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(float(sys.argv[2]))
"""


def test_restore_is_refused_while_another_program_holds_the_database(demo_db_copy, tmp_path):
    con = db.connect(demo_db_copy)
    backup.write_backup(con, tmp_path / "backup")
    con.close()
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_DATABASE, str(demo_db_copy), "60"], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout.readline().strip() == "holding"
        report = restore.restore_backup(tmp_path / "backup", demo_db_copy)
    finally:
        holder.kill()
        holder.wait()
    assert not report.ok
    assert "in use by another program" in report.message and "stopped" in report.message


def test_backup_command_asks_the_running_dashboard_when_it_holds_the_file(demo_db_copy, tmp_path):
    """This process plays the dashboard: it holds the file and answers requests; the command runs elsewhere."""
    con = db.connect(demo_db_copy)
    stop = threading.Event()

    def dashboard() -> None:
        while not stop.is_set():
            backup_requests.answer_requests(lambda: con, demo_db_copy)
            time.sleep(0.1)

    watcher = threading.Thread(target=dashboard)
    watcher.start()
    try:
        done = subprocess.run(
            [sys.executable, "-m", "strategy", "--db", str(demo_db_copy), "backup", str(tmp_path / "while-running")],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            env={**os.environ, "STRATEGY_DB": str(demo_db_copy)},
        )
    finally:
        stop.set()
        watcher.join()
        con.close()
    assert done.returncode == 0, done.stderr
    assert "asking it to write the backup" in done.stdout
    manifest, problems = restore.verify_files(tmp_path / "while-running")
    assert problems == [] and manifest["tables"]["activities"]["rows"] == DEMO_CURRENT_ACTIVITIES
    assert manifest["reason"] == "requested"


def test_restore_command_reports_success_and_leaves_a_working_database(demo_db_copy, tmp_path):
    con = db.connect(demo_db_copy)
    backup.write_backup(con, tmp_path / "backup")
    con.close()
    target = tmp_path / "fresh.duckdb"
    done = subprocess.run(
        [sys.executable, "-m", "strategy", "--db", str(target), "restore", str(tmp_path / "backup")],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "matches the manifest" in done.stdout
    health = subprocess.run(
        [sys.executable, "-m", "strategy", "--db", str(target), "health", "--json"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert health.returncode == 0 and json.loads(health.stdout)["current_activities"] == DEMO_CURRENT_ACTIVITIES
