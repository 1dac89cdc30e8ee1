"""Test databases, defined once: a small deterministic demo and an empty one, both real DuckDB files."""

from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from strategy import db
from strategy.build import build_database
from strategy.framework import load_framework

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SHARED_REFERENCE = PROJECT_ROOT.parent / "shared" / "reference"
# Fixed so every number in the tests is the same on every day the tests run.
DEMO_TODAY = date(2026, 6, 30)
DEMO_ACTIVITIES = 1500
TEST_OUTPUT = PROJECT_ROOT / "test-output"


@pytest.fixture(scope="session")
def framework():
    return load_framework()


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
