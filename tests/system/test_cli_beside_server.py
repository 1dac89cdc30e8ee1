"""Every command of the command line works while the dashboard runs (`streamlit run serve.py` holds the database
file), with the same answers, role checks and audit rows as on a copy of the file with no dashboard running."""

from __future__ import annotations

import csv
import json
import os
import shutil
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import duckdb
import pytest

from strategy import command_requests
from tests.activity_files import GOOD, csv_bytes, row
from tests.browser.conftest import free_port
from tests.conftest import PROJECT_ROOT

FINGERTIPS = PROJECT_ROOT / "tests" / "fixtures" / "fingertips_93015_download.csv"
HANDED = "The dashboard has the database open"


@pytest.fixture
def databases(demo_db_file, tmp_path):
    """Two identical copies of the demo: one the dashboard serves, one used with no dashboard running."""
    served, alone = tmp_path / "served" / "demo.duckdb", tmp_path / "alone" / "demo.duckdb"
    for copy in (served, alone):
        copy.parent.mkdir()
        shutil.copy(demo_db_file, copy)
    return served, alone


@pytest.fixture
def dashboard(databases, tmp_path):
    served, _alone = databases
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
        env={**os.environ, "STRATEGY_DB": str(served), "STRATEGY_MODE": "local", "STRATEGY_WARMING": "off"},
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    deadline = time.time() + 90
    while time.time() < deadline:
        try:
            # not /healthz: the dashboard opens its file lazily, and the first command must make it do so
            urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=5)
            if command_requests.dashboard_running(served):
                break
        except OSError:
            pass
        time.sleep(0.3)
    else:
        process.kill()
        pytest.fail("the dashboard did not start: " + (tmp_path / "serve.log").read_text())
    yield served
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def cli(database: Path, *argv: str, cwd: Path) -> subprocess.CompletedProcess:
    """python -m strategy --db DATABASE ARGV..., typed in the folder cwd (relative file names are relative to it)."""
    return subprocess.run(
        [sys.executable, "-m", "strategy", "--db", str(database), *argv],
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "STRATEGY_MODE": "local"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def as_json(done: subprocess.CompletedProcess):
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def current_activities(database: Path, cwd: Path) -> int:
    return as_json(cli(database, "health", "--json", cwd=cwd))["current_activities"]


def test_every_command_works_while_the_dashboard_holds_the_file(dashboard, databases, tmp_path):
    served, alone = databases
    work = tmp_path / "work"
    work.mkdir()

    # The first command makes the dashboard open its file; from then on it holds it: no other process can open
    # it, not even read-only.
    assert HANDED in cli(served, "uploads", cwd=work).stderr
    with pytest.raises(duckdb.IOException, match="lock"):
        duckdb.connect(str(served), read_only=True)

    # Read-only commands give the same answers as on an identical file with no dashboard running.
    for argv in (
        ["heatmap", "--json", "--place", "Mansfield"],
        ["heatmap", "--json", "--measure", "investment"],
        ["indicators", "--json", "--indicator", "93015"],
        ["uploads", "--json"],
        ["users", "list", "--json"],
        ["partners", "list", "--json"],
    ):
        beside, without = cli(served, *argv, cwd=work), cli(alone, *argv, cwd=work)
        assert HANDED in beside.stderr and HANDED not in without.stderr
        assert as_json(beside) == as_json(without), argv
    health_beside, health_alone = (
        as_json(cli(served, "health", "--json", cwd=work)),
        as_json(cli(alone, "health", "--json", cwd=work)),
    )
    for report in (health_beside, health_alone):
        report.pop("query_ms")  # how long the query took differs; every figure and the message must not
    assert health_beside["status"] == "ok" and health_beside == health_alone
    beside, without = cli(served, "heatmap", cwd=work), cli(alone, "heatmap", cwd=work)
    assert beside.returncode == without.returncode == 0, beside.stderr
    assert beside.stdout == without.stdout

    # export: a relative file name is written where the command was typed, the same file as without a dashboard.
    (work / "alone").mkdir()
    exported = cli(served, "export", "mansfield.csv", "--place", "Mansfield", cwd=work)
    assert exported.returncode == 0, exported.stderr
    assert cli(alone, "export", "mansfield.csv", "--place", "Mansfield", cwd=work / "alone").returncode == 0
    assert (work / "mansfield.csv").read_bytes() == (work / "alone" / "mansfield.csv").read_bytes()
    with (work / "mansfield.csv").open(encoding="utf-8-sig") as file:
        assert f"Wrote {sum(1 for _ in csv.DictReader(file)):,} activities" in exported.stdout

    # import activities, then roll it back: the activity count moves by the file's rows and back.
    before = current_activities(served, work)
    (work / "good.csv").write_bytes(csv_bytes([GOOD, row(activity_id="MM-2")]))
    loaded = as_json(cli(served, "import", "activities", "good.csv", "--partner", "Test Partner", "--json", cwd=work))
    assert loaded["status"] == "loaded" and loaded["rows"] == 2
    assert current_activities(served, work) == before + 2
    assert as_json(cli(served, "uploads", "--json", cwd=work))[0]["upload_id"] == loaded["upload_id"]
    rolled = cli(served, "rollback", str(loaded["upload_id"]), cwd=work)
    assert rolled.returncode == 0 and "rolled back" in rolled.stdout
    assert current_activities(served, work) == before

    # import indicators: the same report as without a dashboard.
    reports = [
        as_json(cli(database, "import", "indicators", str(FINGERTIPS), "--json", cwd=work))
        for database in (served, alone)
    ]
    assert reports[0]["status"] == reports[1]["status"] == "loaded"
    for report in reports:
        report.pop("upload_id")  # the served copy has had one more upload (the activities above)
    assert reports[0] == reports[1]

    # users add, partners add, audit export, board-pack.
    for database in (served, alone):
        assert cli(database, "users", "add", "viewer@example.org", "--role", "viewer", cwd=work).returncode == 0
    assert "viewer@example.org" in [u["email"] for u in as_json(cli(served, "users", "list", "--json", cwd=work))]
    assert cli(served, "partners", "add", "Beside The Server CIC", cwd=work).returncode == 0
    assert "Beside The Server CIC" in json.dumps(as_json(cli(served, "partners", "list", "--json", cwd=work)))
    pack = cli(served, "board-pack", "pack.pptx", cwd=work)
    assert pack.returncode == 0, pack.stderr
    assert any(name.startswith("ppt/slides/slide") for name in zipfile.ZipFile(work / "pack.pptx").namelist())

    # A viewer is refused exactly as without a dashboard: same message and status, no file, an audit row.
    refusals = [
        cli(database, "--as", "viewer@example.org", "export", f"viewer-{database.parent.name}.csv", cwd=work)
        for database in (served, alone)
    ]
    assert refusals[0].returncode == refusals[1].returncode == 1
    assert refusals[0].stderr.replace(HANDED, "").splitlines()[-1] == refusals[1].stderr.splitlines()[-1]
    assert not list(work.glob("viewer-*.csv"))

    audit = cli(served, "audit", "export", "audit.csv", cwd=work)
    assert audit.returncode == 0, audit.stderr
    with (work / "audit.csv").open(encoding="utf-8-sig") as file:
        actions = [line["action"] for line in csv.DictReader(file)]
    for action in ("export", "add user", "refused"):
        assert action in actions
    listed = as_json(cli(served, "audit", "list", "--json", "--limit", "200", cwd=work))
    assert {"export", "add user", "refused"} <= {entry["action"] for entry in listed}
    alone_actions = {entry["action"] for entry in as_json(cli(alone, "audit", "list", "--json", cwd=work))}
    assert "refused" in alone_actions  # the same refusal is audited without a dashboard too


def test_commands_that_replace_the_file_are_still_refused_while_the_dashboard_runs(dashboard, tmp_path):
    assert HANDED in cli(dashboard, "uploads", cwd=tmp_path).stderr  # the dashboard opens its file
    done = cli(dashboard, "init", cwd=tmp_path)
    assert done.returncode == 1 and "in use" in done.stderr and HANDED not in done.stderr
