"""Killing the import process (kill -9) in the middle leaves the database with all of that upload or none of it."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time

import pytest

from strategy import db
from tests.conftest import PROJECT_ROOT
from tests.unit.test_ingest_files import GOOD, csv_bytes, row

ROWS = 100_000  # large enough that loading takes a good part of a second


@pytest.fixture(scope="module")
def big_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("kill") / "big.csv"
    path.write_bytes(csv_bytes([row(activity_id=f"K-{i}", places="Derbyshire" if i % 3 else "Mansfield; Ashfield")
                                for i in range(ROWS)]))
    return path


def state_of_upload(database) -> tuple[int, int, int]:
    """(uploads recorded, activities with an upload id that is recorded, activities whose upload is missing)."""
    con = db.connect(database, read_only=True)
    try:
        return con.execute("""SELECT (SELECT count(*) FROM uploads WHERE kind = 'activities'),
            (SELECT count(*) FROM activities WHERE upload_id IN (SELECT upload_id FROM uploads WHERE kind = 'activities')),
            (SELECT count(*) FROM activities WHERE upload_id NOT IN (SELECT upload_id FROM uploads))""").fetchall()[0]
    finally:
        con.close()


@pytest.mark.parametrize("delay", [0.0, 0.4, 1.0])
def test_kill_during_load_leaves_all_or_nothing(big_file, demo_db_copy, delay):
    process = subprocess.Popen([sys.executable, "-m", "strategy", "--db", str(demo_db_copy), "import", "activities",
                                str(big_file), "--partner", "Killed Partner"], cwd=PROJECT_ROOT,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ})
    for line in process.stderr:  # progress lines; the transaction begins right after "Loading"
        if line.startswith(b"Loading"):
            break
    time.sleep(delay)
    was_running = process.poll() is None
    if delay == 0.0:
        assert was_running, "the kill must land while the upload is being written"
    process.send_signal(signal.SIGKILL)
    process.wait()
    uploads, activities, orphans = state_of_upload(demo_db_copy)
    assert orphans == 0
    assert (uploads, activities) in ((0, 0), (1, ROWS)), (uploads, activities)
    if was_running and uploads == 0:
        # killed mid-load: the same file then loads whole
        assert subprocess.run([sys.executable, "-m", "strategy", "--db", str(demo_db_copy), "import", "activities",
                               str(big_file), "--partner", "Killed Partner"], cwd=PROJECT_ROOT,
                              capture_output=True).returncode == 0
        assert state_of_upload(demo_db_copy)[:2] == (1, ROWS)
