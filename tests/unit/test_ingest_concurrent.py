"""Several imports at once from separate threads: each lands whole or says 'busy, try again' — never half, never a crash."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from strategy.access import LOCAL_USER, User
from strategy import db
from strategy.ingest import BUSY, LOADED, import_activities, rollback_upload
from strategy.ingest import load as load_module
from tests.unit.test_ingest_files import csv_bytes, row

THREADS = 6
ROWS = 2_000


def partner_file(number: int) -> bytes:
    return csv_bytes([row(activity_id=f"T{number}-{i}", places="All" if i % 2 else "Gedling") for i in range(ROWS)])


def check_whole(con, reports) -> None:
    for number, report in enumerate(reports):
        assert report.status in (LOADED, BUSY), report.message
        count = con.execute("SELECT count(*) FROM activities a JOIN partners p USING (partner_id) WHERE p.name = ?",
                            [f"Thread {number}"]).fetchall()[0][0]
        assert count == (ROWS if report.status == LOADED else 0)
        if report.status == BUSY:
            assert "try again" in report.message.lower()
    links = con.execute("SELECT count(*) FROM activities a WHERE a.upload_id > 1 AND NOT EXISTS "
                        "(SELECT 1 FROM activity_aims m WHERE m.activity_key = a.activity_key)").fetchall()[0][0]
    assert links == 0


def run_at_once(con, files):
    with ThreadPoolExecutor(THREADS) as pool:
        return list(pool.map(lambda n: import_activities(con, files[n], f"t{n}.csv", f"Thread {n}", User(f"user{n}@example.org", "admin")),
                             range(THREADS)))


def test_imports_at_once_each_land_whole(demo_db_copy):
    con = db.connect(demo_db_copy)
    try:
        reports = run_at_once(con, [partner_file(n) for n in range(THREADS)])
        check_whole(con, reports)
        assert all(r.status == LOADED for r in reports)  # they wait their turn
        keys = con.execute("SELECT count(*), count(DISTINCT activity_key) FROM activities").fetchall()[0]
        assert keys[0] == keys[1]
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
