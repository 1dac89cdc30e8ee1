"""Where the pages get their data: the server's one connection, cached answers, the maintenance message when the
database cannot be read.

The figures, built from cached answers and keyed by the question (heatmaps, bars, need against effort, trend
charts, the map), are in shared_figures; the learning and decision forms' lists in shared_answers; the answers and
figures computed when the server starts in warming."""

from __future__ import annotations

import gc
import importlib
import inspect
import itertools
import logging
import os
from contextlib import contextmanager
from datetime import date
from typing import Callable, Iterator

import duckdb
import pyarrow as pa
import streamlit as st

from strategy import access, db, periods
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.safekeeping import health

# --- How many answers each cache keeps ---------------------------------------------------------------------------
# Answers are cached per (database, question, filters): every distinct link adds entries, and 450 links once held
# 92 MB. Each cache of answers keeps at most CACHE_ENTRIES of them (the least recently used go first), and none
# for longer than an hour.
CACHE_ENTRIES_SETTING = "STRATEGY_CACHE_ENTRIES"
DEFAULT_CACHE_ENTRIES = 1000
CACHE_TTL_SECONDS = 3600


def cache_entries_setting() -> tuple[int, db.SettingError | None]:
    """(entries, problem): $STRATEGY_CACHE_ENTRIES, a whole number of at least 1, else the default; a setting
    that is not one gives the default and a SettingError that every page shows instead of the dashboard."""
    text = os.environ.get(CACHE_ENTRIES_SETTING, "").strip().replace(",", "").replace("_", "")
    if not text:
        return DEFAULT_CACHE_ENTRIES, None
    if text.isdigit() and 1 <= int(text) <= 10**7:
        return int(text), None
    return DEFAULT_CACHE_ENTRIES, db.SettingError(
        f"{CACHE_ENTRIES_SETTING}={os.environ[CACHE_ENTRIES_SETTING]!r} is not a number of cached answers: write a "
        f"whole number of at least 1, such as {DEFAULT_CACHE_ENTRIES}, or leave it unset for "
        f"{DEFAULT_CACHE_ENTRIES}. Then restart the dashboard."
    )


WARMING_SETTING = "STRATEGY_WARMING"


def warming_setting() -> tuple[bool, db.SettingError | None]:
    """(warm at start-up, problem): $STRATEGY_WARMING, `on` (the default) or `off`; `off` starts with empty caches
    (the first visitor to each view computes it: a quicker, lighter start, for a test server or a very small
    machine). Anything else gives on and a SettingError that every page shows instead of the dashboard."""
    text = os.environ.get(WARMING_SETTING, "").strip().lower()
    if text in ("", "on"):
        return True, None
    if text == "off":
        return False, None
    return True, db.SettingError(
        f"{WARMING_SETTING}={os.environ[WARMING_SETTING]!r} is neither on nor off: write on (the default: the "
        "answers and figures of the shared views are computed when the dashboard starts) or off (each is "
        "computed when first asked for). Then restart the dashboard."
    )


# Read once, when the server starts (the caches are made then); a mistyped value is shown by every page.
CACHE_ENTRIES, _CACHE_PROBLEM = cache_entries_setting()
WARMING, _WARMING_PROBLEM = warming_setting()
SETTING_PROBLEM = _CACHE_PROBLEM or _WARMING_PROBLEM
# Each cache of figures keeps at most this many: the start-up warming builds three heatmaps for each view it warms
# (107 views with the demo's 17 places and five aims: 321), with room left for the views people open after.
FIGURE_ENTRIES = 600


@st.cache_resource(show_spinner=False)
def connection(path: str) -> duckdb.DuckDBPyConnection:
    """The server's one connection to the database (it is the only writer); queries take cursors from it.

    DatabaseUnavailable, saying what to do, when there is no file (never an empty one made in its place: `init`, or
    `make run` on a fresh machine, builds one) or when the file is damaged: its write-ahead log cannot be replayed,
    it is shorter than the blocks it uses, or a block of a table does not match its checksum."""
    con = db.connect(path)
    try:
        problem = health.file_problem(path, con) or health.unreadable_table(con)
        if problem:
            raise db.DatabaseUnavailable(problem)
        db.migrate(con)
    except BaseException:
        con.close()  # let go of the file, so that `restore` can replace it
        raise
    return con


def database_file() -> str:
    """The database as configured: a file path, or a MotherDuck name ('md:NAME') passed on untouched."""
    return db.database_location()


def open_connection() -> duckdb.DuckDBPyConnection:
    """The server's connection, proved by a real read; a broken one (closed, invalidated by a failed write, its
    file gone bad) is dropped and the file reopened, so the dashboard recovers without a restart.
    DatabaseUnavailable, saying why, when the file cannot be used."""
    if SETTING_PROBLEM:
        raise SETTING_PROBLEM
    path = database_file()
    con = connection(path)
    if _answers(con) and not health.file_problem(path):  # the file is still there, and still a DuckDB file
        return con
    _drop_connection(con)
    con = connection(path)
    if not _answers(con):
        _drop_connection(con)
        raise db.DatabaseUnavailable(f"The database {path} opened but could not be read.")
    return con


def _answers(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        cursor = con.cursor()
        try:
            cursor.execute("SELECT count(*) FROM meta").fetchall()
        finally:
            cursor.close()
        return True
    except duckdb.Error:
        return False


def _drop_connection(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the cached connection and its answers, and let go of the file."""
    connection.clear()
    data_changed()
    try:
        con.close()
    except duckdb.Error:
        pass


def answer(question: Callable, filters: Filters, *args) -> object:
    """question(con, ..., *args): the answer of one strategy function (analysis.gaps, trends.assess_indicator, ...)
    for one filter set, shared across sessions until data changes or the day changes (an activity with no end date
    runs up to today, so its share of a period moves with the day). The function is passed itself, so a reader
    can follow it; it is given what its signature names (see _call). A question that takes no filters is cached
    once for every view, not once per filter set."""
    with database_trouble_shown():
        return _answer(
            database_file(), data_version(), periods.today(), _name(question), _asked_with(question, filters), *args
        )


def _name(function: Callable) -> str:
    """The cache's key for a function: its module and name (hashing a function object would hash its code). The
    function is remembered under it, so the cache calls the very function it was given."""
    name = f"{function.__module__}:{function.__qualname__}"
    _FUNCTIONS[name] = function
    return name


# Every function asked by _name, by its key: a function defined inside another (a stand-in in a test) has no name
# its module can be asked for.
_FUNCTIONS: dict[str, Callable] = {}


def _function(name: str) -> Callable:
    if name in _FUNCTIONS:
        return _FUNCTIONS[name]
    module, _, qualname = name.partition(":")
    return getattr(importlib.import_module(module), qualname)


def _asked_with(question: Callable, filters: Filters) -> Filters:
    return filters if "filters" in inspect.signature(question).parameters else Filters()


def _call(function: Callable, con: duckdb.DuckDBPyConnection, today: date, filters: Filters, *args) -> object:
    """function(con, [framework], [filters], *args, [today=today]): each given when the signature names it."""
    parameters = inspect.signature(function).parameters
    leading = [value for name, value in (("framework", load_framework()), ("filters", filters)) if name in parameters]
    return function(con, *leading, *args, **({"today": today} if "today" in parameters else {}))


@contextmanager
def database_trouble_shown() -> Iterator[None]:
    """Run a read; if the database itself has become unusable, show the maintenance message instead of a
    traceback (and drop the connection so the next run reopens it). A mistake in a query still raises."""
    try:
        yield
    except db.DatabaseUnavailable as problem:
        show_maintenance(problem)
    except duckdb.Error as error:
        try:
            con = connection(database_file())
        except db.DatabaseUnavailable as problem:
            show_maintenance(problem)
        if _answers(con) and not health.is_damage(error) and not health.file_problem(database_file()):
            raise
        _drop_connection(con)
        show_maintenance(
            db.DatabaseUnavailable(
                f"The database stopped answering: {error}" + (f" {db.REPAIR}" if health.is_damage(error) else "")
            )
        )


def show_maintenance(problem: Exception) -> None:
    """The plain message every page shows when the data cannot be read; it checks again by itself. The reason
    (paths, the database's own error) goes to the server log, and on screen only in local mode, where the one
    person at this computer is its administrator; with sign-in nobody is known yet, so visitors see no details."""
    LOG.warning("Maintenance message shown: %s", problem)
    st.title("The dashboard is being looked after")
    st.warning(
        f"The dashboard's data cannot be read just now, so nothing is shown rather than something wrong. "
        f"This page tries again every {MAINTENANCE_RETRY_SECONDS} seconds and comes back by itself when the "
        "data is readable again.",
        icon=":material/construction:",
    )
    st.button("Try again now", icon=":material/refresh:")
    with st.expander("For the administrator"):
        if _local_mode():
            st.text(str(problem))
        else:
            st.markdown("The reason is in the server's log; `python -m strategy health` on the server shows it too.")
        st.markdown("See **Operations** in the README: *When the dashboard shows the maintenance message*.")
    _retry_when_readable()
    st.stop()


MAINTENANCE_RETRY_SECONDS = 10
LOG = logging.getLogger("strategy.maintenance")


def _local_mode() -> bool:
    try:
        return access.chosen_mode() == "local"
    except access.ModeProblem:
        return False


@st.fragment(run_every=MAINTENANCE_RETRY_SECONDS)
def _retry_when_readable() -> None:
    if st.session_state.get("_maintenance_checks", 0) > 0:
        try:
            open_connection()
        except (db.DatabaseUnavailable, duckdb.Error):
            pass
        else:
            st.session_state["_maintenance_checks"] = 0
            st.rerun(scope="app")
    st.session_state["_maintenance_checks"] = st.session_state.get("_maintenance_checks", 0) + 1


@st.cache_data(show_spinner=False, ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES)
def _answer(database: str, version: int, today: date, question: str, filters: Filters, *args) -> object:
    return _call(_function(question), connection(database), today, filters, *args)


# Part of every cached answer's key, bumped by data_changed(): an answer computed from data read before a write,
# but stored just after the caches were cleared, is under the old version and never served again.
_data_version = itertools.count(1)
_current_version = [0]


def data_version() -> int:
    return _current_version[0]


# The shared caches of other modules (figures built from several answers, the learning pages' lists), each
# registered where it is defined, so data_changed() clears them with the rest.
_CLEARED_WITH_DATA: list = []


def cleared_when_data_changes(cached):
    """Mark a st.cache_resource function as built from the data: data_changed() clears it (st.cache_data functions
    are cleared anyway). Use above the cache decorator."""
    _CLEARED_WITH_DATA.append(cached)
    return cached


def data_changed() -> None:
    """Call after any write: every cached answer and figure is recomputed on the next run."""
    _current_version[0] = next(_data_version)
    gc.unfreeze()  # the warmed answers serve.py froze: collected again, once the caches let go of them
    st.cache_data.clear()
    for cached in (_table, *_CLEARED_WITH_DATA):
        cached.clear()


def cached_answer(database: str, version: int, today: date, question: Callable, filters: Filters, *args) -> object:
    """answer() for a caller that already holds the cache's key parts (a figure built from several answers, the
    start-up warming): the very cache entry the pages read."""
    return _answer(database, version, today, _name(question), _asked_with(question, filters), *args)


def cached_table(database: str, version: int, today: date, question: Callable, filters: Filters, *args) -> pa.Table:
    """answer_table() for a caller that already holds the cache's key parts, as cached_answer()."""
    return _table(database, version, today, _name(question), _asked_with(question, filters), *args)


def answer_table(question: Callable, filters: Filters, *args) -> pa.Table:
    """answer(), as an Arrow table shared by every session: what st.dataframe draws, without converting a pandas
    table on every page run (most of the cost of showing a few hundred rows)."""
    with database_trouble_shown():
        return _table(
            database_file(), data_version(), periods.today(), _name(question), _asked_with(question, filters), *args
        )


@st.cache_resource(show_spinner=False, max_entries=500)
def _table(database: str, version: int, today: date, question: str, filters: Filters, *args) -> pa.Table:
    return pa.Table.from_pandas(_answer(database, version, today, question, filters, *args), preserve_index=False)
