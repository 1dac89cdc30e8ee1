"""Checking the database file's header must not let go of DuckDB's lock on it: closing any descriptor of a file
drops the process's POSIX locks on it, after which another program could open the file the dashboard writes."""

import subprocess
import sys

import pytest

from strategy import db
from strategy.safekeeping import health

OPEN_ELSEWHERE = "import duckdb, sys; duckdb.connect(sys.argv[1], read_only=True); print('opened')"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX file locks")
def test_the_file_stays_locked_after_its_header_is_checked(demo_db_copy):
    con = db.connect(demo_db_copy)
    try:
        for _ in range(3):
            assert health.file_problem(demo_db_copy, con) is None
        other = subprocess.run(
            [sys.executable, "-c", OPEN_ELSEWHERE, str(demo_db_copy)], capture_output=True, text=True, timeout=60
        )
        assert other.returncode != 0 and "lock" in other.stderr.lower(), other.stdout
    finally:
        con.close()
