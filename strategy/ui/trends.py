"""The Indicator trends page's parts: the indicator and places chosen, what the indicator is, its chart over time
against England with the partnership's activity, every place's latest value, and the import of indicator values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from strategy.access import PermissionDenied
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.indicators import trends
from strategy.indicators.importer import import_indicator_file
from strategy.indicators.trend_charts import comparison_style
from strategy.periods import today
from strategy.ui.data import (
    FIGURE_ENTRIES,
    answer,
    cached_answer,
    cleared_when_data_changes,
    data_changed,
    data_version,
    database_file,
    database_trouble_shown,
)
from strategy.ui.page import Page
from strategy.ui.shared_figures import trend_chart
from strategy.ui.signin import log_refusal
from strategy.ui.text import plain
from strategy.ui.widgets import chart_block

POLARITY_WORDS = {
    "higher_is_better": "higher is better",
    "lower_is_better": "lower is better",
    "none": "neither direction is better",
}


@dataclass(frozen=True)
class Choice:
    """The indicator chosen (its id and its row of the catalogue), and the places chosen for its chart."""

    indicator_id: str
    definition: pd.Series
    places: tuple[str, ...]
    place_names: dict


def charted_indicators(page: Page) -> pd.DataFrame:
    """The catalogue's indicators that have a chart over time (counts of people are context, not indicators)."""
    catalogue = answer(trends.indicator_catalogue, page.filters)
    return catalogue[catalogue.unit != "people"]


def default_places(page: Page) -> list[str]:
    """The places on the chart until others are chosen: the Place filter's first six."""
    return list(page.filters.local_places(page.framework))[:6]


def default_choice(page: Page) -> Choice:
    """What the page shows when opened from a link without an indicator: the first indicator, default places."""
    catalogue = charted_indicators(page).set_index("indicator_id")
    local = {p.code: p.name for p in page.framework.local_places()}
    return Choice(catalogue.index[0], catalogue.iloc[0], tuple(default_places(page)), local)


def indicator_and_places(page: Page, linked_indicator: str | None) -> Choice:
    """The indicator (from the link the page was opened with, else the first) and the places on the chart (the
    Place filter's first six), side by side; the address names the indicator too, so a link reopens this view."""
    catalogue = charted_indicators(page)
    names = dict(zip(catalogue.indicator_id, catalogue.name))
    pick_indicator, pick_places = st.columns([2, 3])
    if linked_indicator in names and "trend_indicator" not in st.session_state:
        st.session_state["trend_indicator"] = linked_indicator
    indicator_id = pick_indicator.selectbox("Indicator", list(names), format_func=names.get, key="trend_indicator")
    local = {p.code: p.name for p in page.framework.local_places()}
    chosen = pick_places.multiselect(
        "Places on the chart",
        list(local),
        format_func=local.get,
        default=default_places(page),
        key=f"trend_places_{'_'.join(page.filters.places)}",
        placeholder="England only: choose places, or set the Place filter",
    )
    st.query_params["indicator"] = indicator_id
    return Choice(indicator_id, catalogue.set_index("indicator_id").loc[indicator_id], tuple(chosen), local)


def indicator_description(page: Page, definition: pd.Series) -> None:
    """The indicator's name, unit, which direction is better, its aim, its definition and its source."""
    aim = page.framework.label("aim", definition.aim) if definition.aim else "no single aim"
    st.markdown(
        f"**{plain(definition['name'])}** ({plain(definition.unit)}; "
        f"{POLARITY_WORDS.get(definition.polarity, '')}; aim {plain(aim)}). {plain(definition.definition)} "
        f"*Source: {plain(definition.source)}.*"
    )


def chart_of_choice(page: Page, choice: Choice) -> tuple[go.Figure, str]:
    """(the chart of the chosen indicator in the chosen places and England, with the partnership's activity; its
    sentence). The start-up warming builds it too, for the choice a link opens (strategy/ui/warming.py)."""
    definition = choice.definition
    return trend_chart(
        page.filters,
        choice.indicator_id,
        choice.places,
        f"{definition.short_name}: " + (", ".join(choice.place_names[c] for c in choice.places) or "England"),
        page.source(f"{definition.source}; partner activity returns"),
        trends.activity_bars_label(definition.aim, bool(choice.places), page.filters),
    )


def indicator_chart(page: Page, choice: Choice) -> pd.DataFrame:
    """The chart of the indicator in the chosen places and England, with the partnership's activity as bars, its
    sentence and table, and how its intervals, comparisons and trends were worked out. Every place's assessed
    values (trends.assess_indicator), for the table of all places."""
    definition = choice.definition
    assessed = answer(trends.assess_indicator, page.filters, choice.indicator_id)
    shown = assessed[assessed.place_code.isin([*choice.places, page.framework.benchmark])]
    note = trends.comparison_note(shown)
    if note:
        st.info(plain(note), icon=":material/info:")
    fig, summary = chart_of_choice(page, choice)
    table = shown[
        [
            "place_name",
            "period",
            "value",
            "lower_ci",
            "upper_ci",
            "ci_method",
            "compared_to_england",
            "comparison_source",
            "recent_trend",
        ]
    ].astype({"value": float, "lower_ci": float, "upper_ci": float})
    table["comparison_source"] = table.comparison_source.map(trends.COMPARISON_SOURCE_WORDS)
    chart_block(fig, summary, table, key="trend_chart")
    methods = sorted(set(shown.ci_method) - {"none"})
    st.caption(
        "Intervals: "
        + ("; ".join(trends.CI_METHOD_WORDS[m] for m in methods) if methods else "none available")
        + ". Compared with England: a value with a 95% interval is *similar* when the interval contains England's "
        "value, otherwise better or worse by the indicator's polarity (the Fingertips rule, applied by us); a value "
        "without one shows **Fingertips' published comparison** (OHID's own verdict from the intervals it holds) "
        "where there is one, else *not compared*. 'Comparison by' says which. Recent trend over the latest five "
        "periods: chi-squared test for trend with counts, else a weighted regression on the intervals. "
        f"Bars count activities by start date in the same periods ({trends.period_kind(definition.year_starts)}); "
        "a hatched bar is a period still running (a partial year). The indicator's axis is fitted to the values "
        "and does not start at 0."
    )
    return assessed


def all_places(page: Page, assessed: pd.DataFrame, choice: Choice) -> None:
    """Every place's value in a chosen period (the latest first), compared with England. A Fingertips download's
    own verdict and trend are shown beside ours when they add something: the verdict where ours was computed from
    the interval, the trend wherever the file carried one."""
    periods = trends.sorted_periods(assessed.period) if len(assessed) else []
    period = st.selectbox("Period", periods[::-1], key="trend_period") if periods else None
    summary = places_in_period(choice.indicator_id, period)
    st.dataframe(
        summary.style.map(comparison_style, subset=["compared_to_england"]).format(
            {"value": "{:.1f}", "lower_ci": "{:.1f}", "upper_ci": "{:.1f}"}, na_rep="missing"
        ),
        hide_index=True,
        width="stretch",
        key="trend_summary_table",
        height=35 * (len(summary) + 1) + 3,
        column_config={
            "place_name": "Place",
            "period": f"Period ({trends.period_kind(choice.definition.year_starts)})",
            "value": "Value",
            "lower_ci": "Lower 95%",
            "upper_ci": "Upper 95%",
            "ci_method": "Interval",
            "compared_to_england": "Compared with England",
            "comparison_source": "Comparison by",
            "recent_trend": "Recent trend",
            "published_comparison": "Fingertips' published comparison",
            "published_trend": "Fingertips' recent trend",
        },
    )


def places_in_period(indicator_id: str, period: str | None) -> pd.DataFrame:
    """Every place's value of the indicator in the period (the latest when None), compared with England, as the
    table shows it: Fingertips' own verdict and trend only where they add something. Shared by every session until
    data changes (it was a third of a warm Trends run); callers must not change it."""
    with database_trouble_shown():
        return _places_in_period(database_file(), data_version(), today(), indicator_id, period)


@cleared_when_data_changes
@st.cache_resource(show_spinner=False, max_entries=FIGURE_ENTRIES)
def _places_in_period(database: str, version: int, on: date, indicator_id: str, period: str | None) -> pd.DataFrame:
    assessed = cached_answer(database, version, on, trends.assess_indicator, Filters(), indicator_id)
    summary = trends.latest_summary(assessed, load_framework(), period)
    summary["comparison_source"] = summary.comparison_source.map(trends.COMPARISON_SOURCE_WORDS)
    hidden = (
        ["place_code"]
        + (
            ["published_comparison"]
            if not (
                summary.published_comparison.notna()
                & (summary.comparison_source != trends.COMPARISON_SOURCE_WORDS["published"])
            ).any()
            else []
        )
        + (["published_trend"] if summary.published_trend.isna().all() else [])
    )
    return summary.drop(columns=hidden)


def indicator_import(page: Page) -> None:
    """For analysts and admins: check or load a file of indicator values (our template or a Fingertips download),
    with what was loaded, warned about or refused. Nothing is loaded unless the whole file is good."""
    with st.expander("Import indicator values (our template or a Fingertips download)"):
        st.markdown(
            "Upload the CSV from Fingertips' *Download data* as it comes, or our template (`indicator_id, "
            "place_code, period, value, lower_ci, upper_ci, count, denominator`). Persons rows for all ages "
            "of the partnership's places are kept; the report says what was skipped. Nothing is loaded unless "
            "the whole file is good."
        )
        upload = st.file_uploader("Indicator file", type=["csv", "xlsx"], key="indicator_file")
        check, load = st.columns(2)
        run = (
            "valid"
            if check.button("Check only", disabled=upload is None)
            else "load"
            if load.button("Load", type="primary", disabled=upload is None)
            else None
        )
        if upload is None or not run:
            return
        try:
            report = import_indicator_file(
                page.con, page.framework, upload.getvalue(), upload.name, page.user, dry_run=run == "valid"
            )
        except PermissionDenied as refusal:
            log_refusal(refusal, "indicator import")
            st.error(plain(refusal), icon=":material/lock:")
            st.stop()
        if report.status == "loaded":
            data_changed()
        {"loaded": st.success, "valid": st.success, "duplicate": st.info}.get(report.status, st.error)(
            f"{report.status.capitalize()}: {report.rows} values"
            + (f" (upload {report.upload_id})" if report.upload_id else "")
            + "."
        )
        for warning in report.warnings:
            st.warning(plain(warning))
        if report.errors:
            st.dataframe(report.errors, hide_index=True, width="stretch")
