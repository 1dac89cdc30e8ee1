"""AppTest runs each page script in-process against a chosen database file."""

from __future__ import annotations

import shutil

import pytest
from streamlit.testing.v1 import AppTest

from tests.apptest import forget_answers, open_app
from tests.conftest import PROJECT_ROOT

PAGES = ["app.py", *sorted(str(p.relative_to(PROJECT_ROOT)) for p in (PROJECT_ROOT / "pages").glob("*.py"))]


@pytest.fixture(scope="session")
def app_demo_db(demo_db_file, tmp_path_factory):
    """The page tests' own copy of the demo database: AppTest opens it for writing, as the server does, which a
    read-only connection to the same file in the same process could not share."""
    copy = tmp_path_factory.mktemp("app") / "demo.duckdb"
    shutil.copy(demo_db_file, copy)
    return copy


@pytest.fixture(scope="session")
def app_empty_db(empty_db_file, tmp_path_factory):
    copy = tmp_path_factory.mktemp("app") / "empty.duckdb"
    shutil.copy(empty_db_file, copy)
    return copy


@pytest.fixture
def app_installed(installed, tmp_path):
    """The install (settings in force) with the page tests' own copies of its demo and empty databases."""
    demo, empty = tmp_path / "demo.duckdb", tmp_path / "empty.duckdb"
    shutil.copy(installed.demo_db, demo)
    shutil.copy(installed.empty_db, empty)
    return installed, demo, empty


@pytest.fixture
def open_page(monkeypatch):
    """open_page(script, database, query=None) -> an AppTest that has run once."""

    def open_(script: str, database, query: dict | None = None) -> AppTest:
        monkeypatch.setenv("STRATEGY_DB", str(database))
        return open_app(script, query, check=False)

    yield open_
    forget_answers()
