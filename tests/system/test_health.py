"""The health check runs a real query against the main tables: from the file, from the command line, and over HTTP
from the running dashboard (GET /healthz), which answers 503 while the file is unusable and 200 again after."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
import urllib.error
import urllib.request

import pytest

from strategy import db
from strategy.safekeeping import health
from tests.browser.conftest import free_port
from tests.conftest import DEMO_CURRENT_ACTIVITIES, PROJECT_ROOT


def test_health_reports_the_main_tables(demo_con):
    report = health.check(demo_con)
    assert report.ok
    current = demo_con.execute("SELECT count(*) FROM activities WHERE replaced_by_upload IS NULL").fetchall()[0][0]
    assert report.figures["current_activities"] == current == DEMO_CURRENT_ACTIVITIES
    assert report.figures["place_links"] == demo_con.execute("SELECT count(*) FROM activity_places").fetchall()[0][0]


def test_health_fails_when_a_main_table_is_missing(demo_db_copy):
    con = db.connect(demo_db_copy)
    con.execute("DROP TABLE activity_places")
    report = health.check(con)
    con.close()
    assert not report.ok and "activity_places" in report.message


def test_health_fails_when_an_activity_key_is_used_twice(demo_db_copy):
    con = db.connect(demo_db_copy)
    assert health.check(con).figures["duplicate_activity_keys"] == 0
    con.execute("INSERT INTO activities SELECT * FROM activities ORDER BY activity_key LIMIT 2")
    report = health.check(con)
    con.close()
    assert not report.ok and report.figures["duplicate_activity_keys"] == 2
    assert "Restore the last backup" in report.message


def test_health_fails_when_the_schema_is_older_than_the_code(demo_db_copy):
    con = db.connect(demo_db_copy)
    con.execute("DELETE FROM schema_migrations WHERE version = (SELECT max(version) FROM schema_migrations)")
    report = health.check(con)
    con.close()
    assert not report.ok and "python -m strategy init" in report.message


def test_health_command_exit_status(demo_db_copy, tmp_path):
    def run(path):
        return subprocess.run(
            [sys.executable, "-m", "strategy", "--db", str(path), "health", "--json"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            timeout=60,
        )

    healthy = run(demo_db_copy)
    assert healthy.returncode == 0 and json.loads(healthy.stdout)["status"] == "ok"
    broken = tmp_path / "broken.duckdb"
    broken.write_bytes(b"not a database" * 1000)
    unhealthy = run(broken)
    assert unhealthy.returncode == 1 and json.loads(unhealthy.stdout)["status"] == "unavailable"


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as answer:
            return answer.status, json.load(answer)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


@pytest.fixture
def served(demo_db_copy, tmp_path):
    """`streamlit run serve.py` (the production entry point) on a copy of the demo database; its base URL."""
    port = free_port()
    log = (tmp_path / "serve.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "serve.py",
            "--server.headless",
            "true",
            "--server.port",
            str(port),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_ROOT,
        env={**__import__("os").environ, "STRATEGY_DB": str(demo_db_copy), "STRATEGY_WARMING": "off"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            urllib.request.urlopen(url + "/_stcore/health", timeout=2)
            break
        except OSError:
            time.sleep(0.3)
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def test_healthz_answers_from_the_running_dashboard_and_follows_the_file(served, demo_db_copy, tmp_path):
    good = tmp_path / "good.duckdb"
    shutil.copy(demo_db_copy, good)
    demo_db_copy.write_bytes(b"\0broken" * 4096)  # before the server first opens it

    status, body = get(served + "/healthz")
    # Anyone may ask, so the answer is only the status: no paths, counts or database errors ...
    assert status == 503 and body == {"status": "unavailable"}
    # ... the reason is in the server's log, for the administrator.
    assert "could not be opened" in (tmp_path / "serve.log").read_text()

    shutil.copy(good, demo_db_copy)
    status, body = get(served + "/healthz")
    assert status == 200 and body == {"status": "ok"}

    cli = subprocess.run(
        [sys.executable, "-m", "strategy", "health", "--url", served],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert cli.returncode == 0 and cli.stdout.startswith("ok")
    on_file = subprocess.run(
        [sys.executable, "-m", "strategy", "--db", str(good), "health"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert f"{DEMO_CURRENT_ACTIVITIES:,} current activities" in on_file.stdout  # the administrator's own check


def test_nothing_the_server_answers_can_be_shown_in_another_sites_frame(served):
    for path in ("/healthz", "/", "/_stcore/health"):
        with urllib.request.urlopen(served + path, timeout=30) as answer:
            assert answer.headers["X-Frame-Options"] == "DENY", path
            assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"], path


def test_healthz_checks_the_file_on_disk_not_only_the_open_connection(served, demo_db_copy):
    status, body = get(served + "/healthz")
    assert status == 200 and body == {"status": "ok"}  # the server has the file open

    half = demo_db_copy.stat().st_size // 2
    with demo_db_copy.open("r+b") as stream:  # cut short under the running server, which still answers from memory
        stream.truncate(half)
    status, body = get(served + "/healthz")
    assert status == 503 and body == {"status": "unavailable"}  # the reason goes to the server's log only

    demo_db_copy.unlink()
    status, body = get(served + "/healthz")
    assert status == 503 and body == {"status": "unavailable"}
    assert not demo_db_copy.exists()  # not silently recreated empty
