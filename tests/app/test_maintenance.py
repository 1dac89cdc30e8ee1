"""When the database cannot be read the pages show a plain maintenance message (never a traceback), and they come
back by themselves once the file is usable again, without restarting the server."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from strategy.ui import connection
from tests.conftest import DEMO_CURRENT_ACTIVITIES

HOLD_DATABASE = """
import sys, time, duckdb
con = duckdb.connect(sys.argv[1])
print("holding", flush=True)
time.sleep(120)
"""

MAINTENANCE_TITLE = "The dashboard is being looked after"


@pytest.fixture
def database(demo_db_file, tmp_path):
    copy = tmp_path / "maintenance.duckdb"
    shutil.copy(demo_db_file, copy)
    return copy


@pytest.fixture
def holder():
    """hold(path): another process opens the database and keeps it; release() lets go."""
    processes = []

    def hold(path):
        process = subprocess.Popen([sys.executable, "-c", HOLD_DATABASE, str(path)], stdout=subprocess.PIPE, text=True)
        assert process.stdout.readline().strip() == "holding"
        processes.append(process)

    def release():
        for process in processes:
            process.kill()
            process.wait()

    hold.release = release
    yield hold
    release()


def titles(app) -> list[str]:
    return [t.value for t in app.title]


def shows_maintenance(app) -> bool:
    return not app.exception and MAINTENANCE_TITLE in titles(app)


@pytest.mark.parametrize("script", ["app.py", "pages/1_Alignment.py"])
def test_locked_database_shows_maintenance_then_recovers_without_restart(open_page, database, holder, script):
    holder(database)
    app = open_page(script, database)
    assert shows_maintenance(app)
    assert "in use by another program" in app.expander[0].text[0].value
    assert not app.get("plotly_chart")

    holder.release()
    app.run()

    assert not app.exception
    assert MAINTENANCE_TITLE not in titles(app)
    assert app.get("plotly_chart")


def test_a_cached_connection_that_breaks_is_reopened_on_the_next_run(open_page, database):
    app = open_page("app.py", database)
    assert app.get("plotly_chart") and not app.exception
    connection(str(database)).close()  # as if the database had been invalidated under the server

    app.run()

    assert not app.exception
    assert MAINTENANCE_TITLE not in titles(app)
    assert app.metric[0].value == f"{DEMO_CURRENT_ACTIVITIES:,}"


def test_broken_connection_and_file_held_elsewhere_shows_maintenance_then_recovers(open_page, database, holder):
    app = open_page("app.py", database)
    connection(str(database)).close()
    import streamlit as st

    st.cache_data.clear()  # the next run must read, not answer from the cache
    holder(database)

    app.run()
    assert shows_maintenance(app)

    holder.release()
    app.run()
    assert not app.exception and app.metric[0].value == f"{DEMO_CURRENT_ACTIVITIES:,}"


def test_a_corrupt_file_shows_maintenance_and_a_restored_file_brings_the_page_back(open_page, database, tmp_path):
    good = tmp_path / "good.duckdb"
    shutil.copy(database, good)
    database.write_bytes(b"\0garbage" * 4096)

    app = open_page("app.py", database)
    assert shows_maintenance(app)
    assert "could not be opened" in app.expander[0].text[0].value

    shutil.copy(good, database)  # what `python -m strategy restore` does, in effect
    app.run()
    assert not app.exception and app.metric[0].value == f"{DEMO_CURRENT_ACTIVITIES:,}"
