"""A full disk during an import is refused cleanly: a plain 'could not write' report (exit 1, JSON status
'rejected'), no traceback, and a database that opens afterwards with none of the upload.

The disk is made 'full' with a file-size limit (RLIMIT_FSIZE) on the child process that runs the import command,
which needs no root: any write past the limit fails with EFBIG, as a write to a full disk fails with ENOSPC. The
limits are chosen so the failure comes at different places: the upload's temporary copy, and DuckDB's own writes
(the write-ahead log or the database file, at COMMIT or while a large upload's rows are written).
"""

from __future__ import annotations

import json
import resource
import signal
import subprocess
import sys

import pytest

from strategy import db
from tests.activity_files import csv_bytes, row
from tests.conftest import PROJECT_ROOT

PARTNER = "Full Disk Partner"
MB = 1024 * 1024


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    folder = tmp_path_factory.mktemp("full-disk")
    made = {}
    for rows in (20_000, 50_000):
        made[rows] = folder / f"partner-{rows}.csv"
        made[rows].write_bytes(
            csv_bytes([row(activity_id=f"F-{i}", places="All" if i % 2 else "Gedling") for i in range(rows)])
        )
    return made


def import_with_file_size_limit(database, upload, limit: int, *options: str) -> subprocess.CompletedProcess:
    def limited():  # in the child: a write past `limit` bytes fails (EFBIG) instead of killing the process
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return subprocess.run(
        [
            sys.executable,
            "-m",
            "strategy",
            "--db",
            str(database),
            "import",
            "activities",
            str(upload),
            "--partner",
            PARTNER,
            *options,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        preexec_fn=limited,
        timeout=120,
    )


def holds_none_of_the_upload(database, before: dict) -> bool:
    con = db.connect(database)  # opens read-write: the write-ahead log, if any, is replayed
    try:
        partner_rows = con.execute(
            "SELECT count(*) FROM activities a JOIN partners p USING (partner_id) WHERE p.name = ?", [PARTNER]
        ).fetchall()[0][0]
        return partner_rows == 0 and db.table_counts(con) == before
    finally:
        con.close()


@pytest.mark.parametrize(
    "rows, limit, failed_write",
    [
        (20_000, 1 * MB, "[Errno 27]"),  # the upload's temporary copy (Python's own write)
        (20_000, 3 * MB, "Could not write file"),  # a small upload: DuckDB's write-ahead log or file, at COMMIT
        (50_000, None, "Could not write file"),  # a larger one: the database file growing past its size + 0.5 MB
    ],
    ids=["temporary copy", "small upload", "large upload"],
)
def test_a_full_disk_refuses_the_import_cleanly(files, demo_db_copy, rows, limit, failed_write):
    before = db.table_counts(db.connect(demo_db_copy, read_only=True))
    limit = limit or demo_db_copy.stat().st_size + MB // 2
    finished = import_with_file_size_limit(demo_db_copy, files[rows], limit, "--json")
    assert finished.returncode == 1, finished.stderr
    assert "Traceback" not in finished.stderr and "Traceback" not in finished.stdout
    report = json.loads(finished.stdout)
    assert report["status"] == "rejected"
    assert report["errors"][0]["kind"] == "could not write"
    assert "disk is full" in report["message"] and "nothing was saved" in report["message"]
    assert "File too large" in report["message"] and failed_write in report["message"]  # the details: where
    assert holds_none_of_the_upload(demo_db_copy, before)


def test_the_message_is_plain_text_without_json(files, demo_db_copy):
    finished = import_with_file_size_limit(demo_db_copy, files[20_000], 3 * MB)
    assert finished.returncode == 1
    assert "Traceback" not in finished.stderr
    assert finished.stdout.startswith("The server could not write the change (its disk is full")
    # and once there is room, the same file loads
    again = subprocess.run(
        [
            sys.executable,
            "-m",
            "strategy",
            "--db",
            str(demo_db_copy),
            "import",
            "activities",
            str(files[20_000]),
            "--partner",
            PARTNER,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
    )
    assert again.returncode == 0, again.stderr
