"""Trends: each place's population indicators over time against England, with the partnership's activity beside them."""

import streamlit as st

from strategy.ui import no_activities_yet, page_setup
from strategy.ui.trends import (
    all_places,
    indicator_and_places,
    indicator_chart,
    indicator_description,
    indicator_import,
)

linked_indicator = st.query_params.get("indicator")  # read before the filter sidebar rewrites the address
page = page_setup("Indicator trends", icon=":material/trending_up:")
st.caption(
    "How the population indicators the strategy is judged by have moved in each place, against England, "
    "with the partnership's own activity on the same time axis: contribution to see, not attribution to claim."
)
no_activities_yet(
    page,
    "The indicators below are published figures; the partnership's own activity joins them "
    "on the same charts once uploaded.",
)

choice = indicator_and_places(page, linked_indicator)
indicator_description(page, choice.definition)
assessed = indicator_chart(page, choice)

st.subheader("All places")
all_places(page, assessed, choice)

if not page.user.can("import_indicators"):
    st.stop()  # importing is for analysts and admins; everyone else has seen the whole page
indicator_import(page)
