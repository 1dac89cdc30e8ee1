"""Overview: the partnership's activity at a glance, its alignment, and its largest gaps."""

import streamlit as st

from strategy.board.headlines import number_word
from strategy.ui import headline_indicator_tiles, no_activities_yet, page_setup
from strategy.ui.loop import record_decision
from strategy.ui.overview import about_this_data, headline_tiles, largest_gaps, overview_heatmap

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

headline_tiles(page)
headline_indicator_tiles(page.filters)  # the filtered place's population indicators (see pages/4_Trends.py)
st.page_link("pages/4_Trends.py", label="Indicator trends against England", icon=":material/trending_up:")

left, right = st.columns([3, 2], gap="large")
with left:
    overview_heatmap(page)
    st.page_link("pages/1_Alignment.py", label="Explore alignment", icon=":material/grid_on:")
with right:
    largest_gaps(page)
    st.page_link(
        "pages/2_Coverage_and_gaps.py", label="All gaps, and need against effort", icon=":material/troubleshoot:"
    )
    about_this_data(page)

record_decision(page, "Overview")
