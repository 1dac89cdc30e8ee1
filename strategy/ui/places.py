"""The Places page's parts: the map coloured by a chosen measure, with what it was drawn from, and the profile of
one place (its figures, headline indicators, activities by aim, gaps and residents' words)."""

from __future__ import annotations

import logging

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from strategy import analysis, charts
from strategy.board.headlines import map_summary
from strategy.filters import Filters, with_changes
from strategy.indicators import trends
from strategy.indicators.trends import comparison_phrase, period_label
from strategy.rounding import money_per_head
from strategy.ui.data import answer
from strategy.ui.learning import pinned_quotes
from strategy.ui.page import Page
from strategy.ui.selection import label_codes, label_targets, narrow_filters, place_codes, place_targets
from strategy.ui.shared_answers import pinned_quotes_for
from strategy.ui.shared_figures import aims_bars, place_map
from strategy.ui.shared_figures import boundaries as read_boundaries
from strategy.ui.text import plain
from strategy.ui.widgets import chart_block, headline_indicator_tiles

MEASURES = {
    "investment_per_head": "Investment per head (£)",
    "activities_per_100k": "Activities per 100,000 people",
    "inactive_pct": "Adults inactive (%)",
    "imd2019_score": "IMD 2019 average score",
    "investment": "Investment (£)",
    "activities": "Activities",
}

DEFAULT_MEASURE = next(iter(MEASURES))  # what the map is coloured by until another is chosen

LOG = logging.getLogger("strategy.places")


def map_measure() -> str:
    """The measure the map is coloured by, chosen above it."""
    return st.selectbox("Colour the map by", list(MEASURES), format_func=MEASURES.get, key="map_measure")


def map_figure(page: Page, measure: str) -> go.Figure:
    """The map of every place for the page's filters, coloured by the measure (a key of MEASURES). The start-up
    warming builds it too, coloured as the page opens (strategy/ui/warming.py)."""
    return place_map(
        page.filters,
        measure,
        MEASURES[measure],
        f"{MEASURES[measure]} by place",
        page.source("partner activity returns; ONS boundaries, centre points and population"),
    )


def places_map(page: Page, table: pd.DataFrame, measure: str) -> None:
    """The map of every place coloured by the measure (a click on an area narrows the page to it), its sentence and
    table, and what its areas were drawn from: the boundary file, or circles at centre points when the file is
    missing or cannot be read (the server's log says why)."""
    try:
        boundaries, boundary_problem = read_boundaries(), None
    except charts.BoundaryFileError as problem:
        boundaries, boundary_problem = None, problem
        LOG.warning("%s", problem)  # the file's path and what is wrong, for whoever runs the server
    summary = map_summary(table, measure, MEASURES[measure], areas=boundaries is not None)
    drawn_map = map_figure(page, measure)
    chart_block(
        drawn_map,
        summary,
        analysis.place_table(table, measure, MEASURES[measure]),
        key="place_map",
        targets=place_targets(drawn_map, place_codes(page.framework)),
        on_pick=narrow_filters,
        hint="Click an area to narrow the page to it.",
    )
    if boundary_problem is not None:
        st.caption(
            "The areas' boundaries could not be read, so each area is drawn as a circle at its ONS centre "
            "point. The server's log says which file and what is wrong (see Maps in the README)."
        )
    elif boundaries is None:
        st.caption(
            "The areas' boundary file was not found, so each area is drawn as a circle at its ONS centre "
            "point, sized and coloured by the measure (see Maps in the README)."
        )
    else:
        st.caption(
            "Areas drawn from ONS district boundaries (December 2019). Names that would overlap are left "
            "off the map; hover over an area, or open the table view, to read every value."
        )


def profile_choice(table: pd.DataFrame) -> str | None:
    """The place whose profile is shown, chosen from every place on the map."""
    names = dict(zip(table.place_code, table.place_name))
    return st.selectbox("Place profile", list(names), format_func=names.get, key="profile_place")


def place_tiles(page: Page, place: pd.Series) -> None:
    """The place's name and four tiles: population, inactive adults (with the kind of year and the comparison with
    England), activities reaching it and investment per head."""
    catalogue = answer(trends.indicator_catalogue, Filters())
    inactive_years = next(iter(catalogue.year_starts[catalogue.indicator_id == "93015"]), None)
    st.header(plain(place.place_name))
    tiles = st.columns(4)
    tiles[0].metric("Population (mid-2022)", f"{place.population:,.0f}", border=True)
    tiles[1].metric(
        "Adults inactive",
        f"{place.inactive_pct:.1f}%",
        border=True,
        help=f"Adults aged 19 and over, Active Lives {period_label(place.inactive_period, inactive_years)} "
        "(OHID Fingertips 93015): "
        f"{comparison_phrase(place.compared_to_england, place.comparison_source)}.",
    )
    tiles[2].metric("Activities reaching it", f"{place.activities:,.0f}", border=True)
    tiles[3].metric("Investment per head", money_per_head(place.investment_per_head), border=True)


def aims_chart(page: Page, here: Filters, place_name: str) -> tuple[pd.DataFrame, go.Figure]:
    """(activities by aim in one place, `here` being the page's filters narrowed to it; its bar chart). The
    start-up warming builds it too, for the place the profile opens on (strategy/ui/warming.py)."""
    return aims_bars(here, f"Activities by aim in {place_name}", page.source())


def place_profile(page: Page, table: pd.DataFrame, chosen: str) -> None:
    """One place: its tiles and headline indicators, its activities by aim (a click on an aim narrows the page to
    it) beside its gaps, and the residents' quotes pinned to it."""
    place = table.set_index("place_code").loc[chosen]
    place_tiles(page, place)
    here = with_changes(page.filters, places=[chosen])
    headline_indicator_tiles(here)
    aims, by_aim = aims_chart(page, here, place.place_name)
    left, right = st.columns(2)
    with left:
        chart_block(
            by_aim,
            analysis.aim_balance_summary(aims, place.place_name),
            aims[["aim", "activities"]],
            key="profile_aims",
            targets=label_targets(by_aim, "aims", label_codes(page.framework, "aim")),
            on_pick=narrow_filters,
            hint="Click an aim to narrow the page to it.",
        )
    with right:
        gap_period = analysis.gap_period_label(here)
        st.subheader(f"Gaps here in {gap_period}")
        gaps = answer(analysis.gaps, here)
        for gap in gaps.head(5).itertuples():
            st.markdown(f"- {plain(gap.reason)}")
        if gaps.empty:
            st.success(f"Every aim has activity here in {gap_period}.")
    pinned_quotes(
        pinned_quotes_for(page.filters, places=(chosen,)), heading=f"In residents' words: {plain(place.place_name)}"
    )
