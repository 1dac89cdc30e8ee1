"""The damage drill: the documented repair (docs/operations.md, *Restoring*) works on real damage.

For each kind of damage — a write-ahead log that cannot be replayed, a truncated file, random bytes over part of the
file, a missing file — a backup of the demo database is taken first, the database is damaged, and then:
`python -m strategy health` exits non-zero with a plain message (no traceback), every page shows the maintenance
message, `python -m strategy restore DIR` (the README's steps) succeeds and moves the damaged files aside into a
dated folder without deleting them, and afterwards the data is back, table by table.
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import subprocess
import sys

import pytest

from strategy import db
from strategy.safekeeping import backup
from tests.conftest import DEMO_CURRENT_ACTIVITIES, PROJECT_ROOT

MAINTENANCE_TITLE = "The dashboard is being looked after"

# A writer that changes the database and dies without a checkpoint, leaving its write-ahead log behind.
LEAVE_WAL = """
import os, sys, duckdb
con = duckdb.connect(sys.argv[1])
con.execute("PRAGMA disable_checkpoint_on_shutdown")
con.execute("SET checkpoint_threshold = '10GB'")
con.execute("UPDATE activities SET title = title || ' (changed)' WHERE activity_key % 2 = 0")
con.execute("INSERT INTO audit_log (actor, action, detail) VALUES ('drill', 'drill', 'in the log only')")
os._exit(0)
"""


def strategy_command(database, *arguments) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "strategy", "--db", str(database), *arguments],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={**os.environ, "STRATEGY_DB": str(database)},
    )


def every_table(path) -> dict[str, list[tuple]]:
    con = db.connect(path, read_only=True)
    try:
        return {
            table: con.execute(f'SELECT * FROM "{table}" ORDER BY ALL').fetchall()  # names from the catalogue
            for table in backup.base_tables(con)
        }
    finally:
        con.close()


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def wal_that_cannot_be_replayed(database):
    subprocess.run([sys.executable, "-c", LEAVE_WAL, str(database)], check=True, timeout=60)
    wal = database.with_name(database.name + ".wal")
    assert wal.stat().st_size > 1000
    damaged = bytearray(wal.read_bytes())
    for position in range(100, len(damaged), 997):  # flip bytes all through the log: its checksums fail
        damaged[position] ^= 0xFF
    wal.write_bytes(bytes(damaged))


def truncated(database):
    os.truncate(database, database.stat().st_size // 2)


def random_bytes(database):
    size = database.stat().st_size
    start = size // 3
    with database.open("r+b") as stream:
        stream.seek(start)
        stream.write(random.Random(14).randbytes(1 << 20))  # 1 MB of noise over table data in the middle


def missing(database):
    database.unlink()


def missing_file_with_its_log_left(database):
    subprocess.run([sys.executable, "-c", LEAVE_WAL, str(database)], check=True, timeout=60)
    database.unlink()


DAMAGE = {
    "wal that cannot be replayed": wal_that_cannot_be_replayed,
    "truncated file": truncated,
    "random bytes": random_bytes,
    "missing file": missing,
    "missing file with its log left": missing_file_with_its_log_left,
}
# What the health command and the page say for each (docs/operations.md, the table under *Restoring*).
SAYS = {
    "wal that cannot be replayed": "Failure while replaying WAL file",
    "truncated file": "it has been truncated",
    "random bytes": "checksum",
    "missing file": "There is no database",
    "missing file with its log left": "There is no database",
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_the_documented_repair_works_on_real_damage(damage, demo_db_file, tmp_path, open_page):
    database = tmp_path / "data" / "strategy.duckdb"
    database.parent.mkdir()
    shutil.copy(demo_db_file, database)
    original = every_table(database)
    kept = database.parent / "backups" / "nightly"
    made = strategy_command(database, "backup", str(kept))
    assert made.returncode == 0, made.stderr
    wal = database.with_name(database.name + ".wal")

    DAMAGE[damage](database)
    damaged_files = {path.name: sha256(path) for path in (database, wal) if path.exists()}

    # the health check says so, in plain words
    checked = strategy_command(database, "health")
    assert checked.returncode == 1
    assert "Traceback" not in checked.stdout + checked.stderr
    assert "restore" in checked.stdout and SAYS[damage] in checked.stdout
    if damage.startswith("missing file"):
        assert "init" in checked.stdout

    # every page shows the maintenance message, not an error
    app = open_page("app.py", database)
    assert not app.exception
    assert MAINTENANCE_TITLE in [title.value for title in app.title]
    assert SAYS[damage] in app.expander[0].text[0].value
    if damage.startswith("missing file"):
        assert not database.exists()  # nothing recreated an empty database in its place

    # the README's restore
    listed = strategy_command(database, "backups")
    assert listed.returncode == 0 and str(kept) in listed.stdout
    restored = strategy_command(database, "restore", str(kept))
    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "Traceback" not in restored.stdout + restored.stderr

    # the damaged files are kept, byte for byte, in one dated folder beside the database
    set_aside = [
        folder
        for folder in database.parent.iterdir()
        if folder.is_dir() and folder.name.startswith("damaged-before-restore-")
    ]
    if damaged_files:
        assert len(set_aside) == 1 and str(set_aside[0]) in restored.stdout
        assert {path.name: sha256(path) for path in set_aside[0].iterdir()} == damaged_files
    else:
        assert set_aside == []

    # and the data is back
    assert strategy_command(database, "health").returncode == 0
    back = every_table(database)
    assert back.keys() == original.keys()
    for table, rows in original.items():
        if table != "audit_log":  # the restore itself is recorded in the audit log
            assert back[table] == rows, table
    assert set(original["audit_log"]) <= set(back["audit_log"])
    assert all("restore" in row for row in set(back["audit_log"]) - set(original["audit_log"]))
    app.run()
    assert not app.exception and MAINTENANCE_TITLE not in [title.value for title in app.title]
    assert app.metric[0].value == f"{DEMO_CURRENT_ACTIVITIES:,}"


def test_a_damaged_block_met_mid_page_shows_the_maintenance_message(open_page, demo_db_file, tmp_path, monkeypatch):
    """A block read for the first time while the dashboard runs can turn out damaged; DuckDB then raises the error
    below (its words), and the page shows the maintenance message, not the error."""
    import duckdb
    import streamlit as st

    from strategy import analysis

    database = tmp_path / "strategy.duckdb"
    shutil.copy(demo_db_file, database)

    def damaged(*args, **kwargs):
        raise duckdb.IOException(
            "Corrupt database file: computed checksum 1 does not match stored checksum 2 in block at location 3158016"
        )

    st.cache_data.clear()
    monkeypatch.setattr(analysis, "headline_totals", damaged)
    app = open_page("app.py", database)

    assert not app.exception
    assert MAINTENANCE_TITLE in [title.value for title in app.title]
    assert "Corrupt database file" in app.expander[0].text[0].value
    assert "python -m strategy restore" in app.expander[0].text[0].value
