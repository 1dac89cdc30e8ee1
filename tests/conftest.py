"""Test databases, defined once: a small deterministic demo and an empty one, both real DuckDB files."""

from __future__ import annotations

import os
import shutil
import tomllib
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from strategy import db
from strategy.activities import derive_for_upload
from strategy.build import build_database
from strategy.build.reference import REFERENCE_DIR, REFERENCE_SETTING
from strategy.framework import FRAMEWORK_FILE, FRAMEWORK_SETTING, load_framework
from strategy.names import name_key

PROJECT_ROOT = Path(__file__).resolve().parents[1]
# Fixed so every number in the tests is the same on every day the tests run.
DEMO_TODAY = date(2026, 6, 30)
# Every view works figures out as on that day too (an activity with no end date runs up to today): strategy.periods.
os.environ["STRATEGY_TODAY"] = DEMO_TODAY.isoformat()
# The tests choose the strategy themselves: Making our Move unless a test asks for an install (below).
os.environ.pop(FRAMEWORK_SETTING, None)
os.environ.pop(REFERENCE_SETTING, None)
DEMO_ACTIVITIES = 1500
# The learning workspace's demo experiments are activities too (strategy/learning/demo.py).
DEMO_EXPERIMENTS = 3
DEMO_CURRENT_ACTIVITIES = DEMO_ACTIVITIES + DEMO_EXPERIMENTS
TEST_OUTPUT = PROJECT_ROOT / "test-output"
# Browser tests (marked `browser`: a real Chromium against a real server) run only when asked: `pytest --browser`
# (make test) or this setting set to 1. With --browser a missing Chromium is an error, so the full gate cannot pass
# without them; with the setting alone they are skipped, naming the package to install (tests/browser/conftest.py).
BROWSER_SETTING = "STRATEGY_BROWSER_TESTS"
# A server the tests start: on this computer only, no browser opened, no usage statistics, no file watcher.
SERVER_FLAGS = (
    "--server.headless",
    "true",
    "--server.address",
    "127.0.0.1",
    "--browser.gatherUsageStats",
    "false",
    "--server.fileWatcherType",
    "none",
)
NOT_ASKED = (
    "a browser test: run `pytest --browser` (or set STRATEGY_BROWSER_TESTS=1) to include it; "
    "`make test` runs every test"
)


def pytest_addoption(parser):
    parser.addoption(
        "--browser",
        action="store_true",
        default=False,
        help="also run the tests marked browser (Chromium must be installed: without it they fail)",
    )


def browser_tests_asked(config) -> bool:
    return config.getoption("--browser") or os.environ.get(BROWSER_SETTING) == "1"


def pytest_collection_modifyitems(config, items):
    if browser_tests_asked(config):
        return
    for item in items:
        if item.get_closest_marker("browser"):
            item.add_marker(pytest.mark.skip(reason=NOT_ASKED))


# Every strategy the tests that take the `install` fixture run for: Making our Move and the fictional example.
STRATEGIES = {
    "making-our-move": (FRAMEWORK_FILE, REFERENCE_DIR),
    "riverside": (
        PROJECT_ROOT / "examples" / "riverside" / "framework.toml",
        PROJECT_ROOT / "examples" / "riverside" / "reference",
    ),
}


@contextmanager
def strategy_settings(framework_file: Path, reference_dir: Path):
    """STRATEGY_FRAMEWORK and STRATEGY_REFERENCE set for the block, as an operator sets them for a service."""
    saved = {key: os.environ.get(key) for key in (FRAMEWORK_SETTING, REFERENCE_SETTING)}
    os.environ[FRAMEWORK_SETTING], os.environ[REFERENCE_SETTING] = str(framework_file), str(reference_dir)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclass(frozen=True)
class Install:
    """One strategy's install: its files and its demo and empty databases (built with its settings)."""

    name: str
    framework_file: Path
    reference_dir: Path
    demo_db: Path
    empty_db: Path

    def toml(self) -> dict:
        """The framework file as plain TOML, for computing expected figures without the code under test."""
        return tomllib.loads(self.framework_file.read_text(encoding="utf-8"))


@pytest.fixture(
    scope="session",
    params=[
        pytest.param(name, marks=() if name == "making-our-move" else pytest.mark.other_strategy) for name in STRATEGIES
    ],
)
def install(request, demo_db_file, empty_db_file, tmp_path_factory) -> Install:
    """Each strategy in turn (the tests using it run once per strategy)."""
    framework_file, reference_dir = STRATEGIES[request.param]
    if request.param == "making-our-move":
        return Install(request.param, framework_file, reference_dir, demo_db_file, empty_db_file)
    folder = tmp_path_factory.mktemp(request.param)
    with strategy_settings(framework_file, reference_dir):
        build_database(folder / "demo.duckdb", with_demo=True, activities=DEMO_ACTIVITIES, today=DEMO_TODAY)
        build_database(folder / "empty.duckdb")
    return Install(request.param, framework_file, reference_dir, folder / "demo.duckdb", folder / "empty.duckdb")


@pytest.fixture
def installed(install, monkeypatch) -> Install:
    """The install's settings in force for one test (the dashboard and commands read them as a service does)."""
    monkeypatch.setenv(FRAMEWORK_SETTING, str(install.framework_file))
    monkeypatch.setenv(REFERENCE_SETTING, str(install.reference_dir))
    return install


@pytest.fixture(scope="session")
def framework():
    return load_framework(FRAMEWORK_FILE)


@pytest.fixture(scope="session")
def demo_db_file(tmp_path_factory) -> Path:
    """A demo database built once per test run; tests that write use demo_db_copy instead."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    build_database(path, with_demo=True, activities=DEMO_ACTIVITIES, today=DEMO_TODAY)
    return path


@pytest.fixture(scope="session")
def empty_db_file(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("empty") / "empty.duckdb"
    build_database(path)
    return path


@pytest.fixture
def demo_db_copy(demo_db_file, tmp_path) -> Path:
    """A private copy of the demo database that a test may change."""
    copy = tmp_path / "demo.duckdb"
    shutil.copy(demo_db_file, copy)
    return copy


@pytest.fixture
def writable_con(empty_db_file, tmp_path):
    """A private, writable copy of the empty database (every migration applied, no activities)."""
    copy = tmp_path / "empty-copy.duckdb"
    shutil.copy(empty_db_file, copy)
    con = db.connect(copy)
    yield con
    con.close()


@pytest.fixture
def demo_con(demo_db_file):
    con = db.connect(demo_db_file, read_only=True)
    yield con
    con.close()


@pytest.fixture
def empty_con(empty_db_file):
    con = db.connect(empty_db_file, read_only=True)
    yield con
    con.close()


@pytest.fixture(scope="session")
def test_output() -> Path:
    """Where screenshots and other artifacts are kept after the run."""
    TEST_OUTPUT.mkdir(exist_ok=True)
    return TEST_OUTPUT


def add_activity(
    con,
    *,
    activity_id: str,
    partner: str,
    sector: str,
    places: list[str],
    aims: list[str],
    ways: list[str] = (),
    themes: list[str] = (),
    start: str = "2025-05-01",
    end: str | None = None,
    investment: float | None = None,
    participants: int | None = None,
) -> int:
    """Insert one activity directly (for tests of the counting rules); its activity_key."""
    con.execute(
        "INSERT INTO partners (name, name_key, sector) SELECT ?, ?, ? WHERE NOT EXISTS "
        "(SELECT 1 FROM partners WHERE name = ?)",
        [partner, name_key(partner), sector, partner],
    )
    partner_id = con.execute("SELECT partner_id FROM partners WHERE name = ?", [partner]).fetchall()[0][0]
    upload_id = con.execute(
        "INSERT INTO uploads (kind, status, file_name) VALUES ('test', 'loaded', ?) RETURNING upload_id", [activity_id]
    ).fetchall()[0][0]
    key = con.execute("SELECT coalesce(max(activity_key), 0) + 1 FROM activities").fetchall()[0][0]
    con.execute(
        "INSERT INTO activities (activity_key, partner_id, activity_id, upload_id, title, sector, start_date, "
        "end_date, investment_gbp, participants) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [key, partner_id, activity_id, upload_id, f"Test {activity_id}", sector, start, end, investment, participants],
    )
    con.executemany("INSERT INTO activity_aims VALUES (?, ?)", [[key, a] for a in aims])
    if ways:
        con.executemany("INSERT INTO activity_ways VALUES (?, ?)", [[key, w] for w in ways])
    if themes:
        con.executemany("INSERT INTO activity_themes VALUES (?, ?)", [[key, t] for t in themes])
    con.executemany("INSERT INTO activity_places VALUES (?, ?, NULL)", [[key, p] for p in places])
    derive_for_upload(con, upload_id)
    return key


@pytest.fixture
def small_con(empty_db_file, tmp_path, framework):
    """A fresh database with three hand-made activities whose totals are easy to check by hand:
    a Derbyshire-wide £8,000 walking programme, a £500 Mansfield youth club, and a £1,000 activity in Bolsover and
    Mansfield with no participants reported."""
    path = tmp_path / "small.duckdb"
    shutil.copy(empty_db_file, path)
    con = db.connect(path)
    add_activity(
        con,
        activity_id="WALK-1",
        partner="Walk Derbyshire",
        sector="voluntary_community",
        places=list(framework.places_within("E10000007")),
        aims=["A1", "A4"],
        ways=["W2"],
        themes=["T1"],
        investment=8000,
        participants=800,
    )
    add_activity(
        con,
        activity_id="YOUTH-1",
        partner="Mansfield Youth",
        sector="young_people_education",
        places=["E07000174"],
        aims=["A2"],
        ways=["W3"],
        investment=500,
        participants=40,
    )
    add_activity(
        con,
        activity_id="PAIR-1",
        partner="Mansfield Youth",
        sector="young_people_education",
        places=["E07000033", "E07000174"],
        aims=["A3"],
        ways=["W2", "W4"],
        start="2023-01-10",
        end="2023-12-31",
        investment=1000,
    )
    yield con
    con.close()


SIGN_IN_SECRETS = """[auth]
redirect_uri = "http://127.0.0.1:8501/oauth2callback"
cookie_secret = "0123456789abcdef0123456789abcdef0123456789abcdef"
client_id = "making-our-move-dashboard"
client_secret = "a-client-secret-from-the-provider"
server_metadata_url = "https://id.example.org/.well-known/openid-configuration"
"""


@pytest.fixture
def signin_secrets(monkeypatch, tmp_path) -> Path:
    """Sign-in mode for code run in this process: a complete secrets file, the only one the lookup finds."""
    from strategy import access

    file = tmp_path / "secrets.toml"
    file.write_text(SIGN_IN_SECRETS, encoding="utf-8")
    monkeypatch.setattr(access, "secrets_files", lambda: [file])
    monkeypatch.delenv("STRATEGY_AUTH", raising=False)
    monkeypatch.setenv("STRATEGY_MODE", "signin")
    return file
