"""Uploaded files kept beside the database by their hash: whole before the row that names them, read back checked,
carried by backups, and kept in the row for an in-memory database."""

from __future__ import annotations

import errno
import hashlib
import subprocess
import sys

import duckdb
import pytest

from strategy import db
from strategy.access import LOCAL_USER
from strategy.ingest import LOADED, REJECTED, import_activities
from strategy.safekeeping import backup, originals, restore
from strategy.safekeeping.originals import (
    OriginalMissing,
    keep_original,
    original_bytes,
    originals_folder,
    referenced_hashes,
)
from tests.activity_files import GOOD, csv_bytes, row


def sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_an_in_memory_database_keeps_the_bytes_in_the_upload_row():
    assert keep_original(duckdb.connect(), b"id,title\n", sha(b"id,title\n")) == b"id,title\n"


def test_a_file_is_kept_whole_under_its_hash_and_never_rewritten(tmp_path):
    con = duckdb.connect(str(tmp_path / "strategy.duckdb"))
    data = b"activity_id,title\nMM-1,Walk\n"
    assert keep_original(con, data, sha(data)) is None
    kept = tmp_path / "originals" / sha(data)
    assert kept.read_bytes() == data
    written_at = kept.stat().st_mtime_ns
    assert keep_original(con, data, sha(data)) is None
    assert kept.stat().st_mtime_ns == written_at
    assert [p.name for p in kept.parent.iterdir()] == [sha(data)]  # no temporary file left beside it


def test_a_name_that_is_not_a_hash_is_refused(tmp_path):
    con = duckdb.connect(str(tmp_path / "strategy.duckdb"))
    with pytest.raises(ValueError):
        keep_original(con, b"x", "../../etc/passwd")


def test_an_import_reads_back_its_original_and_notices_a_changed_or_missing_file(demo_db_copy):
    con = db.connect(demo_db_copy)
    data = csv_bytes([GOOD])
    report = import_activities(con, data, "a.csv", "Keeper", LOCAL_USER)
    assert report.status == LOADED
    assert original_bytes(con, report.upload_id) == data
    kept = originals_folder(demo_db_copy) / report.sha256
    kept.write_bytes(data + b"MM-9,changed\n")
    with pytest.raises(OriginalMissing, match="changed since it was uploaded"):
        original_bytes(con, report.upload_id)
    kept.unlink()
    with pytest.raises(OriginalMissing, match="missing"):
        original_bytes(con, report.upload_id)
    con.close()


def test_backups_carry_the_originals_and_restore_puts_them_back(demo_db_copy, tmp_path):
    con = db.connect(demo_db_copy)
    first, second = csv_bytes([GOOD]), csv_bytes([row(activity_id="MM-2")])
    for number, data in enumerate((first, second)):
        assert import_activities(con, data, f"{number}.csv", "Keeper", LOCAL_USER).status == LOADED
    assert referenced_hashes(con) == sorted([sha(first), sha(second)])
    manifest = backup.write_backup(con, tmp_path / "backup")
    con.close()
    assert manifest["originals_missing"] == []
    assert {f"originals/{sha(first)}", f"originals/{sha(second)}"} <= manifest["files"].keys()

    folder = originals_folder(demo_db_copy)
    (folder / sha(first)).unlink()  # the damage: one original lost, the other changed where it lies
    with (folder / sha(second)).open("r+b") as changed:
        changed.write(b"#")
    assert (tmp_path / "backup" / "originals" / sha(second)).read_bytes() == second  # a copy, not the same file
    report = restore.restore_backup(tmp_path / "backup", demo_db_copy)

    assert report.ok and report.problems == [], report.problems
    con = db.connect(demo_db_copy, read_only=True)
    uploads = con.execute("SELECT upload_id FROM uploads WHERE sha256 IS NOT NULL ORDER BY 1").fetchall()
    assert [original_bytes(con, u) for (u,) in uploads] == [first, second]
    con.close()


def test_an_original_damaged_in_the_backup_is_named_and_the_tables_are_restored_all_the_same(demo_db_copy, tmp_path):
    con = db.connect(demo_db_copy)
    data = csv_bytes([GOOD])
    import_activities(con, data, "a.csv", "Keeper", LOCAL_USER)
    backup.write_backup(con, tmp_path / "backup")
    con.execute("DELETE FROM activities")
    con.close()
    (tmp_path / "backup" / "originals" / sha(data)).write_bytes(b"not the file")
    (originals_folder(demo_db_copy) / sha(data)).unlink()

    report = restore.restore_backup(tmp_path / "backup", demo_db_copy)

    assert report.ok
    assert report.problems == [f"The uploaded file {sha(data)} is damaged in the backup as well; it was not put back."]
    assert not (originals_folder(demo_db_copy) / sha(data)).exists()
    con = db.connect(demo_db_copy, read_only=True)
    assert con.execute("SELECT count(*) FROM activities").fetchall()[0][0] > 0
    con.close()


def test_a_backup_names_an_original_that_had_gone_missing(demo_db_copy, tmp_path):
    con = db.connect(demo_db_copy)
    data = csv_bytes([GOOD])
    import_activities(con, data, "a.csv", "Keeper", LOCAL_USER)
    (originals_folder(demo_db_copy) / sha(data)).unlink()
    manifest = backup.write_backup(con, tmp_path / "backup")  # still written: one lost file must not stop backups
    con.close()
    assert manifest["originals_missing"] == [sha(data)] and manifest["originals_damaged"] == []


def test_a_backup_copies_only_intact_originals_and_names_a_changed_one(demo_db_copy, tmp_path):
    con = db.connect(demo_db_copy)
    data = csv_bytes([GOOD])
    import_activities(con, data, "a.csv", "Keeper", LOCAL_USER)
    (originals_folder(demo_db_copy) / sha(data)).write_bytes(data + b"changed")
    manifest = backup.write_backup(con, tmp_path / "backup")
    con.close()
    assert manifest["originals_damaged"] == [sha(data)]
    assert not (tmp_path / "backup" / "originals" / sha(data)).exists()


def test_a_full_disk_while_keeping_the_original_leaves_no_part_of_it_and_loads_nothing(demo_db_copy, monkeypatch):
    def disk_fills_half_way(path, data):  # as a full disk does: part of the file written, then ENOSPC
        path.write_bytes(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(originals, "_write_durably", disk_fills_half_way)
    con = db.connect(demo_db_copy)
    before = db.table_counts(con)

    report = import_activities(con, csv_bytes([GOOD]), "a.csv", "Keeper", LOCAL_USER)

    assert report.status == REJECTED and report.errors[0].kind == "could not write"
    assert "No space left on device" in report.message and "nothing was saved" in report.message
    assert list(originals_folder(demo_db_copy).glob("*")) == []
    assert db.table_counts(con) == before
    con.close()


def test_a_partly_written_original_left_by_a_killed_import_is_removed_by_the_next(demo_db_copy):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    folder = originals_folder(demo_db_copy)
    folder.mkdir(parents=True, exist_ok=True)
    left = folder / f"{'0' * 64}.{ended.stdout.strip()}.1.partial"
    left.write_bytes(b"half a file")
    con = db.connect(demo_db_copy)
    data = csv_bytes([GOOD])
    assert import_activities(con, data, "a.csv", "Keeper", LOCAL_USER).status == LOADED
    con.close()
    assert sorted(p.name for p in folder.iterdir()) == [sha(data)]
