"""Figures built from cached answers and shared by every session until data changes, each keyed by the question it
answers (never by hashing the table it draws): the heatmap with its summary and table view, a place's bars by aim,
need against effort, the Trends page's chart, and the Places page's map with its boundaries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from strategy import analysis, periods
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.indicators import trends
from strategy.ui.data import (
    FIGURE_ENTRIES,
    cached_answer,
    cleared_when_data_changes,
    connection,
    data_version,
    database_file,
    database_trouble_shown,
)


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


@cleared_when_data_changes
@st.cache_resource(show_spinner=False, max_entries=FIGURE_ENTRIES)
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

    cells = cached_answer(database, version, today, analysis.heatmap, filters, rows, columns)
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


@cleared_when_data_changes
@st.cache_resource(show_spinner=False, max_entries=FIGURE_ENTRIES)
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
        cached_answer(database, version, today, trends.indicator_catalogue, Filters())
        .set_index("indicator_id")
        .loc[indicator_id]
    )
    assessed = cached_answer(database, version, today, trends.assess_indicator, Filters(), indicator_id)
    shown = assessed[assessed.place_code.isin([*places, framework.benchmark])]
    timeline = cached_answer(database, version, today, trends.activity_timeline, filters, indicator_id, places)
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


# --- Bars and need against effort: keyed by the question, not by the table they draw -----------------------------
def aims_bars(here: Filters, title: str, source: str) -> tuple[pd.DataFrame, go.Figure]:
    """(activities by aim for the filters `here`, a place's profile; its bar chart), built once and shared by every
    session until data changes. Keyed by the question: hashing the table to find its figure was a tenth of a warm
    Places run. Callers must not change what they get."""
    with database_trouble_shown():
        return _aims_bars(database_file(), data_version(), periods.today(), here, title, source)


@cleared_when_data_changes
@st.cache_resource(show_spinner=False, max_entries=FIGURE_ENTRIES)
def _aims_bars(
    database: str, version: int, today: date, here: Filters, title: str, source: str
) -> tuple[pd.DataFrame, go.Figure]:
    from strategy import charts

    aims = cached_answer(database, version, today, analysis.heatmap, here, "place", "aim")
    aims = aims.rename(columns={"column_label": "aim"})
    return aims, charts.bar_figure(aims, "activities", "aim", title, source, "Activities")


def need_effort_view(filters: Filters, effort: str, title: str, source: str) -> tuple[pd.DataFrame, go.Figure]:
    """(need against effort for the filters, each place flagged high need, low effort by the effort chosen; its
    chart), built once and shared by every session until data changes, keyed by the question as aims_bars.
    Callers must not change what they get."""
    with database_trouble_shown():
        return _need_effort_view(database_file(), data_version(), periods.today(), filters, effort, title, source)


@cleared_when_data_changes
@st.cache_resource(show_spinner=False, max_entries=FIGURE_ENTRIES)
def _need_effort_view(
    database: str, version: int, today: date, filters: Filters, effort: str, title: str, source: str
) -> tuple[pd.DataFrame, go.Figure]:
    from strategy import charts

    table = cached_answer(database, version, today, analysis.need_vs_effort, filters)
    table = table.assign(high_need_low_effort=analysis.high_need_low_effort(table, effort))
    return table, charts.need_effort_figure(table, effort, title, source)


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


@cleared_when_data_changes
@st.cache_resource(show_spinner=False, max_entries=FIGURE_ENTRIES)
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

    table = cached_answer(database, version, today, analysis.need_vs_effort, filters)
    return charts.place_map_figure(table, measure, label, title, source, _drawable_boundaries())


def _drawable_boundaries() -> dict | None:
    """The boundaries, or None (centre points) when the file cannot be read: the page says why."""
    from strategy import charts

    try:
        return boundaries()
    except charts.BoundaryFileError:
        return None
