"""Places: a map of the partnership's areas coloured by a chosen measure, and the profile of one place."""

import streamlit as st

from strategy import analysis, periods
from strategy.ui import answer, no_activities_yet, page_setup
from strategy.ui.places import map_measure, place_profile, places_map, profile_choice

page = page_setup("Places", icon=":material/map:")
st.caption(
    f"Each of the partnership's {len(page.framework.local_places())} areas, coloured by the measure you choose. "
    "Investment in an area is its "
    "share of the activities that reach it (apportioned by population). " + periods.SHORT_RULE
)
no_activities_yet(page, "The map still shows each area's population, deprivation and inactive adults.")

table = answer(analysis.need_vs_effort, page.filters)
places_map(page, table, map_measure())

st.divider()
chosen = profile_choice(table)
if chosen:
    place_profile(page, table, chosen)
