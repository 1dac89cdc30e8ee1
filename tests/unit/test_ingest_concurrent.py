"""Concurrent writers and readers.

- Several imports at once from separate threads: each lands whole, one after the other (each after its own
  automatic backup), or says 'busy, try again' — never half, never a crash.
- Board queries keep answering while a large import runs, on cursors of the same connection, and each answer is
  the state before the upload or after it, never a mix.
- A command-line import while another process (the dashboard) holds the file says what to do instead, with no
  lock error or traceback.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from strategy import analysis, db
from strategy.access import LOCAL_USER, User
from strategy.filters import Filters
from strategy.ingest import BUSY, LOADED, import_activities, rollback_upload
from strategy.ingest import load as load_module
from strategy.safekeeping import backup
from tests.activity_files import csv_bytes, row
from tests.conftest import PROJECT_ROOT
from tests.unit.test_database import HOLD_THE_FILE

THREADS = 6
ROWS = 2_000


def partner_file(number: int) -> bytes:
    return csv_bytes([row(activity_id=f"T{number}-{i}", places="All" if i % 2 else "Gedling") for i in range(ROWS)])


def check_whole(con, reports) -> None:
    for number, report in enumerate(reports):
        assert report.status in (LOADED, BUSY), report.message
        count = con.execute(
            "SELECT count(*) FROM activities a JOIN partners p USING (partner_id) WHERE p.name = ?",
            [f"Thread {number}"],
        ).fetchall()[0][0]
        assert count == (ROWS if report.status == LOADED else 0)
        if report.status == BUSY:
            assert "try again" in report.message.lower()
    links = con.execute(
        "SELECT count(*) FROM activities a WHERE a.upload_id > 1 AND NOT EXISTS "
        "(SELECT 1 FROM activity_aims m WHERE m.activity_key = a.activity_key)"
    ).fetchall()[0][0]
    assert links == 0


def run_at_once(con, files):
    with ThreadPoolExecutor(THREADS) as pool:
        return list(
            pool.map(
                lambda n: import_activities(
                    con, files[n], f"t{n}.csv", f"Thread {n}", User(f"user{n}@example.org", "admin")
                ),
                range(THREADS),
            )
        )


@pytest.mark.slow
def test_imports_at_once_each_land_whole(demo_db_copy):
    con = db.connect(demo_db_copy)
    try:
        before = db.table_counts(con)["activities"]
        reports = run_at_once(con, [partner_file(n) for n in range(THREADS)])
        check_whole(con, reports)
        assert all(r.status == LOADED for r in reports)  # they wait their turn
        keys = con.execute("SELECT count(*), count(DISTINCT activity_key) FROM activities").fetchall()[0]
        assert keys[0] == keys[1]
        # One after the other: each import's automatic backup saw the ones before it land whole.
        seen = sorted(m["activities"] for m in backup.list_backups(backup.backup_root(demo_db_copy)))
        assert seen == [before + ROWS * n for n in range(THREADS)]
        # and roll back at once too
        with ThreadPoolExecutor(THREADS) as pool:
            outcomes = list(pool.map(lambda r: rollback_upload(con, r.upload_id, LOCAL_USER), reports))
        assert all(o.ok for o in outcomes)
    finally:
        con.close()


def test_import_that_cannot_get_its_turn_says_busy(demo_db_copy, monkeypatch):
    monkeypatch.setattr(load_module, "BUSY_WAIT_SECONDS", 0.0)
    con = db.connect(demo_db_copy)
    try:
        reports = run_at_once(con, [partner_file(n) for n in range(THREADS)])
        check_whole(con, reports)
        assert any(r.status == LOADED for r in reports)
    finally:
        con.close()


def test_queries_answer_during_a_large_import_with_the_state_before_or_after(demo_db_copy, framework):
    con = db.connect(demo_db_copy)
    everyone, county = Filters(), Filters(places=("E10000024",))

    def answers():
        return (
            analysis.headline_totals(con, framework, everyone),
            analysis.headline_totals(con, framework, county),
            analysis.heatmap(con, framework, everyone, "aim", "way").to_dict(orient="records"),
        )

    try:
        before = answers()
        importing = threading.Event()
        seen, failures = [], []

        def read_until_done():
            while True:
                finished = not importing.is_set()
                try:
                    seen.append(answers())
                except Exception as error:  # any error is a failure of the test
                    failures.append(repr(error))
                if finished:
                    return

        importing.set()
        reader = threading.Thread(target=read_until_done)
        reader.start()
        report = import_activities(
            con,
            csv_bytes([row(activity_id=f"R-{i}", places="Nottinghamshire", aims="A1; A5") for i in range(30_000)]),
            "big.csv",
            "Busy Reader Trust",
            LOCAL_USER,
        )
        importing.clear()
        reader.join()
        after = answers()
    finally:
        con.close()
    assert report.status == LOADED
    assert failures == []
    assert before != after
    assert len(seen) >= 5, "the reader must have answered several times while the import ran"
    for answer in seen:
        for number, part in enumerate(answer):
            assert part in (before[number], after[number]), "a query saw part of the upload"
    assert seen[0] == before and seen[-1] == after


@pytest.mark.slow
def test_a_command_line_import_while_another_program_holds_the_file_says_what_to_do(demo_db_copy, tmp_path):
    upload = tmp_path / "partner.csv"
    upload.write_bytes(partner_file(0))
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_FILE, str(demo_db_copy)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"holding"
        command = [
            sys.executable,
            "-m",
            "strategy",
            "--db",
            str(demo_db_copy),
            "import",
            "activities",
            str(upload),
            "--partner",
            "Locked Out",
        ]
        plain = subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True, text=True)
        as_json = subprocess.run(command + ["--json"], cwd=PROJECT_ROOT, capture_output=True, text=True)
        rollback = subprocess.run(
            [sys.executable, "-m", "strategy", "--db", str(demo_db_copy), "rollback", "1"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
        )
    finally:
        holder.kill()
        holder.wait()
    for finished in (plain, as_json, rollback):
        assert finished.returncode == 1
        assert "Traceback" not in finished.stderr and "IOException" not in finished.stderr + finished.stdout
    assert f"in use by another program (process {holder.pid})" in plain.stderr
    assert "Upload page" in plain.stderr and "stop the dashboard" in plain.stderr
    assert json.loads(as_json.stdout)["status"] == "busy"
    assert "in use by another program" in json.loads(as_json.stdout)["message"]
    assert "in use by another program" in rollback.stderr
    # nothing was written while it was held, and once it is free the same command loads the file
    assert subprocess.run(command, cwd=PROJECT_ROOT, capture_output=True).returncode == 0
