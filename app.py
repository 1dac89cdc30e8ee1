"""Overview: the partnership's activity at a glance, its alignment, and its largest gaps."""

import streamlit as st

from strategy import analysis, periods
from strategy.analysis import gap_period_label, investment_words, places_in_view
from strategy.board.headlines import number_word
from strategy.periods import govuk_date
from strategy.rounding import short_money
from strategy.ui import (
    answer,
    headline_indicator_tiles,
    heatmap_block,
    heatmap_view,
    no_activities_yet,
    page_setup,
    plain,
)
from strategy.ui.loop import record_decision
from strategy.ui.selection import narrow_filters

page = page_setup("{strategy}: overview", icon=":material/dashboard:")
st.markdown(f"*The strategy's vision:* **{page.framework.vision}**")
st.caption(
    f"How partners' activities line up with the strategy's {number_word(len(page.framework.aims))} shared aims "
    f"and {number_word(len(page.framework.ways))} ways of working."
)
if no_activities_yet(page, "The population indicators below are published figures, shown already."):
    headline_indicator_tiles(page.filters)
    st.page_link("pages/4_Trends.py", label="Indicator trends against England", icon=":material/trending_up:")
    st.stop()

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

# --- Headline population indicators for the filtered place (see pages/4_Trends.py) ---
headline_indicator_tiles(page.filters)
st.page_link("pages/4_Trends.py", label="Indicator trends against England", icon=":material/trending_up:")

left, right = st.columns([3, 2], gap="large")
with left:
    heatmap = heatmap_view(
        page.filters, "aim", "way", "activities", "Activities by aim and way of working", page.source(), compact=True
    )
    heatmap_block(
        heatmap,
        "aim",
        "way",
        "activities",
        key="overview_heatmap",
        on_pick=narrow_filters,
        hint="Click a cell to narrow the page to its aim and way of working.",
        list_hint="Click a row to narrow the page to its aim and way of working.",
    )
    st.caption("Ways of working, in the strategy's words: " + " · ".join(way.full for way in page.framework.ways))
    st.page_link("pages/1_Alignment.py", label="Explore alignment", icon=":material/grid_on:")
with right:
    gap_period = gap_period_label(page.filters)
    st.subheader(f"Largest gaps in {gap_period}")
    gaps = answer(analysis.gaps, page.filters)
    if gaps.empty:
        st.success(f"No place lacks activity for any aim in {gap_period}.")
    for gap in gaps.head(3).itertuples():
        st.markdown(f"- {plain(gap.reason)}")
    st.page_link(
        "pages/2_Coverage_and_gaps.py", label="All gaps, and need against effort", icon=":material/troubleshoot:"
    )

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

record_decision(page, "Overview")
