"""Where the pages get their data: the server's one connection, cached answers and figures, the maintenance
message when the database cannot be read."""

from __future__ import annotations

import importlib
import inspect
import itertools
import logging
import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Callable, Iterator

import duckdb
import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from strategy import access, analysis, db, periods
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.indicators import trends
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


# Read once, when the server starts (the caches are made then); a mistyped value is shown by every page.
CACHE_ENTRIES, SETTING_PROBLEM = cache_entries_setting()


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


def data_changed() -> None:
    """Call after any write: every cached answer and figure is recomputed on the next run."""
    _current_version[0] = next(_data_version)
    st.cache_data.clear()
    _figure.clear()
    _heatmap_view.clear()
    _table.clear()
    _decision_choices.clear()
    _trend_chart.clear()
    _place_map.clear()


# Captions and help text in Streamlit's default grey fall short of WCAG AA contrast (3.8:1); this darker grey
# gives 6:1 on white and on the sidebar. A fixed style block: no user text ever goes into it.


def figure(chart: Callable[..., go.Figure], *args, **kwargs) -> go.Figure:
    """chart(*args, **kwargs) (a strategy.charts function), built once and shared by every session until data
    changes.

    Building a plotly figure (which validates every property) costs more than the rest of a page run put together,
    so with a room full of people on the same view it is built once. Callers must not change the figure they get.
    """
    return _figure(database_file(), _name(chart), *args, **kwargs)


@st.cache_resource(show_spinner=False, max_entries=300)
def _figure(database: str, chart: str, *args, **kwargs) -> go.Figure:
    return _function(chart)(*args, **kwargs)


@dataclass(frozen=True)
class HeatmapView:
    """One heatmap as a page shows it: the cells, the figure, its one-sentence summary and its table view, and the
    labels ("row x column") of its empty and thin cells."""

    cells: pd.DataFrame
    figure: go.Figure
    summary: str
    table: pa.Table  # what st.dataframe draws, converted once
    empty: tuple[str, ...]
    thin: tuple[str, ...]


def heatmap_view(
    filters: Filters, rows: str, columns: str, measure: str, title: str, source: str, compact: bool = False
) -> HeatmapView:
    """The heatmap of rows x columns for one filter set, built once and shared by every session until data changes.

    Keyed by the question rather than by the cells it draws: with a room full of people on the same views, hashing
    the cells table to find its figure, and pivoting it for the table view, were a fifth of each page run.
    Callers must not change what they get.
    """
    with database_trouble_shown():
        return _heatmap_view(
            database_file(), data_version(), periods.today(), filters, rows, columns, measure, title, source, compact
        )


@st.cache_resource(show_spinner=False, max_entries=300)
def _heatmap_view(
    database: str,
    version: int,
    today: date,
    filters: Filters,
    rows: str,
    columns: str,
    measure: str,
    title: str,
    source: str,
    compact: bool,
) -> HeatmapView:
    from strategy import charts

    cells = _answer(database, version, today, _name(analysis.heatmap), filters, rows, columns)
    labels = cells.row_label.astype(str) + " x " + cells.column_label.astype(str)
    return HeatmapView(
        cells,
        charts.heatmap_figure(cells, measure, title, source, compact=compact),
        analysis.heatmap_summary(cells, measure),
        pa.Table.from_pandas(
            analysis.heatmap_matrix(cells, measure).rename_axis(analysis.DIMENSION_NAMES[rows]).reset_index(),
            preserve_index=False,
        ),
        tuple(labels[cells.activities == 0]),
        tuple(labels[(cells.activities > 0) & (cells.activities < analysis.THIN_CELL)]),
    )


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


def pinned_quotes_for(filters: Filters, aims: tuple[str, ...] = (), places: tuple[str, ...] = ()) -> pd.DataFrame:
    """Resident quotes pinned to any of the aims and places (strategy.learning.empathy.quotes_for), cached like
    answer(): the learning pages' writes clear it."""
    with database_trouble_shown():
        return _quotes(database_file(), data_version(), filters, tuple(aims), tuple(places))


@st.cache_data(show_spinner=False, ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES)
def _quotes(
    database: str, version: int, filters: Filters, aims: tuple[str, ...], places: tuple[str, ...]
) -> pd.DataFrame:
    from strategy.learning.empathy import quotes_for

    return quotes_for(
        connection(database), load_framework(), filters, aims=list(aims) or None, places=list(places) or None
    )


def decision_choices() -> tuple[dict, dict]:
    """What a recorded decision may concern: {experiment_id: title} and {reflection_id: commitment}, every one of
    each (newest experiments first, most urgent commitments first), shared by every session until data changes.
    The "Record a decision" form is on most pages, and asking for both lists was a third of a warm Overview."""
    with database_trouble_shown():
        return _decision_choices(database_file(), data_version(), periods.today())


@st.cache_resource(show_spinner=False, max_entries=4)
def _decision_choices(database: str, version: int, today: date) -> tuple[dict, dict]:
    from strategy.learning.commitments import commitments
    from strategy.learning.experiments import experiments

    con, framework = connection(database), load_framework()
    found = experiments(con, framework, Filters())
    promised = commitments(con, framework, Filters(), today)
    return (
        dict(zip(found.experiment_id.tolist(), found.title.tolist())),
        dict(zip(promised.reflection_id.tolist(), promised.commitment.tolist())),
    )


# --- Indicators: charts shared by every session (Trends) --------------------------------------------------------
def trend_chart(
    filters: Filters, indicator_id: str, places: tuple[str, ...], title: str, source: str, activity_label: str
) -> tuple[go.Figure, str]:
    """The Trends page's chart for one indicator and the places on it (with the experiments' markers) and its
    one-sentence summary, built once and shared by every session until data changes: building the figure was
    half of a warm Trends run. Callers must not change the figure they get."""
    with database_trouble_shown():
        return _trend_chart(
            database_file(),
            data_version(),
            periods.today(),
            filters,
            indicator_id,
            tuple(places),
            title,
            source,
            activity_label,
        )


@st.cache_resource(show_spinner=False, max_entries=300)
def _trend_chart(
    database: str,
    version: int,
    today: date,
    filters: Filters,
    indicator_id: str,
    places: tuple[str, ...],
    title: str,
    source: str,
    activity_label: str,
) -> tuple[go.Figure, str]:
    from strategy.indicators.trend_charts import trend_figure
    from strategy.learning.markers import add_experiment_markers, experiment_markers

    framework = load_framework()
    definition = (
        _answer(database, version, today, _name(trends.indicator_catalogue), Filters())
        .set_index("indicator_id")
        .loc[indicator_id]
    )
    assessed = _answer(database, version, today, _name(trends.assess_indicator), Filters(), indicator_id)
    shown = assessed[assessed.place_code.isin([*places, framework.benchmark])]
    timeline = _answer(database, version, today, _name(trends.activity_timeline), filters, indicator_id, places)
    fig = trend_figure(
        shown,
        timeline,
        title,
        source,
        definition.unit,
        framework.benchmark,
        activity_label,
        trends.period_kind(definition.year_starts),
    )
    add_experiment_markers(fig, experiment_markers(connection(database), framework, filters, indicator_id))
    return fig, trends.trend_summary(assessed, places, timeline, framework, filters)


def boundaries() -> dict | None:
    """charts.read_boundaries(), read once per file (and again when the file changes) rather than on every run of
    the Places page: reading and rewinding the polygons was a fifth of that page. BoundaryFileError as there."""
    from strategy import charts

    path = charts.boundaries_path()
    if path is None or not path.is_file():
        return None
    return _boundaries(str(path), path.stat().st_mtime_ns)


@st.cache_resource(show_spinner=False, max_entries=4)
def _boundaries(path: str, modified: int) -> dict | None:
    from strategy import charts

    return charts.read_boundaries(path)


def place_map(filters: Filters, measure: str, label: str, title: str, source: str) -> go.Figure:
    """The Places page's map of need_vs_effort for one filter set, coloured by one measure: charts.place_map_figure
    built once and shared by every session until data changes (keyed by the question, so the boundaries are never
    hashed to find it). Callers must not change the figure they get."""
    shapes = _drawable_boundaries()
    with database_trouble_shown():
        return _place_map(
            database_file(), data_version(), periods.today(), filters, measure, label, title, source, id(shapes)
        )


@st.cache_resource(show_spinner=False, max_entries=300)
def _place_map(
    database: str,
    version: int,
    today: date,
    filters: Filters,
    measure: str,
    label: str,
    title: str,
    source: str,
    shapes: int,
) -> go.Figure:
    from strategy import charts

    table = _answer(database, version, today, _name(analysis.need_vs_effort), filters)
    return charts.place_map_figure(table, measure, label, title, source, _drawable_boundaries())


def _drawable_boundaries() -> dict | None:
    """The boundaries, or None (centre points) when the file cannot be read: the page says why."""
    from strategy import charts

    try:
        return boundaries()
    except charts.BoundaryFileError:
        return None


# --- Shared answers, warmed when the server starts -------------------------------------------------------------
# The questions every page asks of a view (Overview, Alignment, Coverage and gaps, Places), by the arguments the
# pages ask them with, so that the cache entries made here are the ones the pages look up.
_WARMED_QUESTIONS = (
    (analysis.headline_totals,),
    (analysis.heatmap, "aim", "way"),
    (analysis.heatmap, "place", "aim"),
    (analysis.gaps,),
    (analysis.need_vs_effort,),
)


def shared_views(framework) -> list[Filters]:
    """The views a room of people shares: the unfiltered one and each county and place on its own."""
    return [Filters()] + [Filters(places=(place.code,)) for place in (*framework.counties(), *framework.local_places())]


def place_and_aim_views(framework) -> list[Filters]:
    """Each place with each aim on its own: the narrowed views people open most after the shared ones (a place's
    link with one aim chosen). Warmed after the shared views: unwarmed, each cost its first visitor over a second
    of the server's CPU across the five dashboard pages."""
    return [
        Filters(places=(place.code,), aims=(aim.code,)) for place in framework.local_places() for aim in framework.aims
    ]


def warm_shared_answers() -> tuple[int, float]:
    """Compute, into the caches the pages read, the answers of every shared view (shared_views), then of each place
    with each aim (place_and_aim_views): the headline totals, the heatmaps, the gaps, need against effort,
    Alignment's first cell, and the answers every page asks whatever its filters (coverage, partner names, headline
    indicators, the indicator catalogue, each indicator's assessment). Run once when the server starts, so the first
    people in are not the ones who wait. (answers computed, seconds)."""
    import time

    started = time.perf_counter()
    database, version, today, framework = database_file(), data_version(), periods.today(), load_framework()
    count = 0
    for question in (
        analysis.data_coverage,
        analysis.partner_names,
        trends.headline_indicators_by_place,
        trends.indicator_catalogue,
    ):
        _answer(database, version, today, _name(question), Filters())
        count += 1
    catalogue = _answer(database, version, today, _name(trends.indicator_catalogue), Filters())
    for indicator_id in catalogue.indicator_id:  # Trends, any view
        _answer(database, version, today, _name(trends.assess_indicator), Filters(), indicator_id)
        count += 1
    for filters in (*shared_views(framework), *place_and_aim_views(framework)):
        for question, *args in _WARMED_QUESTIONS:
            _answer(database, version, today, _name(question), filters, *args)
            count += 1
        row = analysis.dimension_codes(framework, "aim", filters)[0][0]
        column = analysis.dimension_codes(framework, "way", filters)[0][0]
        _table(database, version, today, _name(analysis.activities_in_cell), filters, "aim", row, "way", column)
        count += 1
    return count, time.perf_counter() - started
