"""The one part of strategy/ that imports Streamlit: page set-up, the filter sidebar, cached data, chart blocks."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from strategy import analysis, db
from strategy.build import build_database
from strategy.filters import Filters, filters_from_query
from strategy.framework import Framework, load_framework

WIDGET_KEYS = {"places": "filter_places", "sectors": "filter_sectors", "aims": "filter_aims", "ways": "filter_ways",
               "themes": "filter_themes", "partners": "filter_partners", "date_from": "filter_from",
               "date_to": "filter_to"}


@dataclass(frozen=True)
class Page:
    """What every page gets from page_setup."""

    con: duckdb.DuckDBPyConnection
    framework: Framework
    filters: Filters
    coverage: dict

    @property
    def is_demo(self) -> bool:
        return self.coverage.get("dataset") == "demo"

    def source(self, what: str = "partner activity returns") -> str:
        """The source line every chart carries: what, demo or not, and the 'as of' date."""
        kind = "DEMO DATA (fictional partners and activities)" if self.is_demo else what
        as_of = self.coverage.get("data_as_of") or date.today().isoformat()
        return f"Source: {kind}; Making our Move alignment dashboard, as of {as_of}."


@st.cache_resource(show_spinner=False)
def connection(path: str) -> duckdb.DuckDBPyConnection:
    """The server's one connection to the database (it is the only writer); queries take cursors from it."""
    if not os.path.exists(path):
        build_database(path)
    con = db.connect(path)
    db.migrate(con)
    return con


def database_file() -> str:
    return str(db.database_path())


@st.cache_data(show_spinner=False, ttl=3600)
def cached(question: str, filters: Filters, *args) -> object:
    """The answer to one analysis question for one filter set, shared across sessions until data changes."""
    con = connection(database_file())
    framework = load_framework()
    function = getattr(analysis, question)
    if question in ("data_coverage", "need_by_place", "partner_names"):
        return function(con)
    return function(con, framework, filters, *args)


def data_changed() -> None:
    """Call after any write: every cached answer is recomputed on the next run."""
    st.cache_data.clear()


def page_setup(title: str, icon: str = ":material/bar_chart:", sidebar_filters: bool = True) -> Page:
    """Configure the page, open the data, draw the filter sidebar and the demo banner; what the page needs."""
    st.set_page_config(page_title=f"{title} · Making our Move", page_icon=icon, layout="wide")
    try:
        con = connection(database_file())
    except db.DatabaseUnavailable as problem:
        st.title("The dashboard is being looked after")
        st.info(f"{problem}\n\nTry again in a minute. If this persists, ask your administrator.")
        st.stop()
    framework = load_framework()
    coverage = cached("data_coverage", Filters())
    filters = _sidebar(framework) if sidebar_filters else Filters()
    page = Page(con=con, framework=framework, filters=filters, coverage=coverage)
    if page.is_demo:
        st.warning("**Demo data.** Every partner and activity here is fictional, generated to show how the "
                   "dashboard works. Population, deprivation and Active Lives figures are real.",
                   icon=":material/science:")
    st.title(title)
    return page


def _sidebar(framework: Framework) -> Filters:
    """The filter widgets, kept in step with the URL so a copied link opens the same view."""
    from_url = filters_from_query({key: st.query_params.get_all(key) for key in st.query_params.keys()}, framework)
    remembered: Filters | None = st.session_state.get("filters")
    if remembered is None or (not from_url.is_empty() and from_url != remembered):
        current = from_url  # first visit, or a link opened in this session
        _seed_widgets(current, force=True)
    else:
        current = remembered  # moving between pages drops the query string; keep the session's filters
        _seed_widgets(current, force=False)

    place_options = [p.code for p in framework.counties()] + [p.code for p in framework.local_places()]
    place_names = {p.code: p.name + (" (county, all districts)" if p.level == "county" else "")
                   for p in framework.places}
    partners = cached("partner_names", Filters())
    with st.sidebar:
        st.header("Filters")
        st.multiselect("Place", place_options, key=WIDGET_KEYS["places"], format_func=place_names.get,
                       placeholder="All places", help="Choosing a county includes its districts.")
        st.multiselect("Sector", [s.code for s in framework.sectors], key=WIDGET_KEYS["sectors"],
                       format_func=lambda c: framework.label("sector", c), placeholder="All sectors")
        st.multiselect("Aim", [a.code for a in framework.aims], key=WIDGET_KEYS["aims"],
                       format_func=lambda c: framework.label("aim", c), placeholder="All aims")
        st.multiselect("Way of working", [w.code for w in framework.ways], key=WIDGET_KEYS["ways"],
                       format_func=lambda c: framework.label("way", c), placeholder="All ways of working")
        st.multiselect("Theme", [t.code for t in framework.themes], key=WIDGET_KEYS["themes"],
                       format_func=lambda c: framework.label("theme", c), placeholder="All themes")
        st.multiselect("Partner", sorted(set(partners) | set(current.partners)), key=WIDGET_KEYS["partners"],
                       placeholder="All partners")
        left, right = st.columns(2)
        left.date_input("From", key=WIDGET_KEYS["date_from"], format="DD/MM/YYYY")
        right.date_input("To", key=WIDGET_KEYS["date_to"], format="DD/MM/YYYY")
        chosen = Filters(**{name: tuple(st.session_state[key]) if isinstance(st.session_state[key], list)
                            else st.session_state[key] for name, key in WIDGET_KEYS.items()})
        if not chosen.is_empty():
            st.button("Clear filters", on_click=_clear_filters, icon=":material/filter_alt_off:")
        st.caption("The address bar holds these filters: copy it to share exactly this view.")
    st.session_state["filters"] = chosen
    if chosen.to_query() != {k: st.query_params.get_all(k) for k in st.query_params.keys()}:
        st.query_params.from_dict(chosen.to_query())
    return chosen


def _seed_widgets(filters: Filters, force: bool) -> None:
    for name, key in WIDGET_KEYS.items():
        if force or key not in st.session_state:
            value = getattr(filters, name)
            st.session_state[key] = list(value) if isinstance(value, tuple) else value


def _clear_filters() -> None:
    _seed_widgets(Filters(), force=True)


def chart_block(fig: go.Figure, summary: str, table: pd.DataFrame, key: str) -> None:
    """A chart with its one-sentence summary and a table view of the same numbers."""
    st.plotly_chart(fig, key=key, config={"displaylogo": False, "toImageButtonOptions": {"format": "png", "scale": 2}})
    st.caption(summary)
    with st.expander("Show as table"):
        st.dataframe(table, hide_index=True, width="stretch")


def money(value: float) -> str:
    return f"£{value:,.0f}"


_MARKDOWN_SPECIAL = "\\`*_{}[]()<>#+-.!|~$:"


def plain(text: object) -> str:
    """Text shown exactly as written in Streamlit's markdown: user values cannot add links, images or formatting."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in str(text))
