"""The Overview's parts: the headline tiles, the compact heatmap, the largest gaps and what the data holds."""

from __future__ import annotations

import streamlit as st

from strategy import analysis, periods
from strategy.analysis import gap_period_label, investment_words, places_in_view
from strategy.periods import govuk_date
from strategy.rounding import short_money
from strategy.ui.data import answer
from strategy.ui.heatmaps import heatmap_block
from strategy.ui.page import Page
from strategy.ui.selection import narrow_filters
from strategy.ui.shared_figures import heatmap_view
from strategy.ui.text import plain


def headline_tiles(page: Page) -> None:
    """Five tiles: activities, partners, places reached, investment and attendances in the filtered view."""
    totals = answer(analysis.headline_totals, page.filters)
    tiles = st.columns(5)
    tiles[0].metric("Activities", f"{totals['activities']:,}", border=True)
    tiles[1].metric("Partners", f"{totals['partners']:,}", border=True)
    tiles[2].metric(
        "Places reached",
        f"{totals['places_reached']} of {places_in_view(page.framework, page.filters)}",
        border=True,
        help="Places with at least one activity, of the places in the place filter (every place when there is none).",
    )
    tiles[3].metric(
        "Investment",
        short_money(totals["investment"]),
        border=True,
        help=f"{investment_words(totals['investment'], page.filters)}; "
        f"{totals['activities_with_investment']:,} of the activities report money. "
        f"{periods.counting_rule()}",
    )
    tiles[4].metric(
        "Participants (attendances)",
        f"{totals['participants']:,.0f}",
        border=True,
        help=f"Attendances as partners count them, not unique people (one person at ten sessions may count "
        f"ten times). {totals['activities_with_participants']:,} of the activities report participants. "
        f"{periods.counting_rule()}",
    )


def aim_way_heatmap(page: Page):
    """The Overview's heatmap for the page's filters (shared_figures.HeatmapView): activities by aim and way,
    compact. The start-up warming builds it too (strategy/ui/warming.py)."""
    return heatmap_view(
        page.filters, "aim", "way", "activities", "Activities by aim and way of working", page.source(), compact=True
    )


def overview_heatmap(page: Page) -> None:
    """Activities by aim and way, compact; a click narrows the page to the cell's aim and way."""
    heatmap_block(
        aim_way_heatmap(page),
        "aim",
        "way",
        "activities",
        key="overview_heatmap",
        on_pick=narrow_filters,
        hint="Click a cell to narrow the page to its aim and way of working.",
        list_hint="Click a row to narrow the page to its aim and way of working.",
    )
    st.caption("Ways of working, in the strategy's words: " + " · ".join(way.full for way in page.framework.ways))


def largest_gaps(page: Page, shown: int = 3) -> None:
    """The largest gaps of the period, in words (the Coverage and gaps page lists them all)."""
    gap_period = gap_period_label(page.filters)
    st.subheader(f"Largest gaps in {gap_period}")
    gaps = answer(analysis.gaps, page.filters)
    if gaps.empty:
        st.success(f"No place lacks activity for any aim in {gap_period}.")
    for gap in gaps.head(shown).itertuples():
        st.markdown(f"- {plain(gap.reason)}")


def about_this_data(page: Page) -> None:
    """What the database holds, whatever the filters: activities, partners, their dates and the latest upload."""
    st.subheader("About this data")
    coverage = page.coverage
    if not coverage["activities"]:
        st.info("No activities yet. Partners add theirs on the Upload page.")
    else:
        kind = "fictional demo data" if page.is_demo else "partner returns"
        st.markdown(
            f"{coverage['activities']:,} activities on record from {coverage['partners']:,} partners ({kind}): "
            "every activity reported, whether running, ended or planned, each in its latest upload; whatever the "
            f"filters. They start between {govuk_date(coverage['first_start'])} and "
            f"{govuk_date(coverage['last_start'])}; {coverage['uploads']:,} upload(s), the latest on "
            f"{govuk_date(coverage['last_upload'])}."
        )
    st.caption(f"Showing: {plain(page.filters.describe(page.framework))}.")
