"""Coverage and gaps: every aim in every place, the gaps ranked with reasons, and need against effort."""

import streamlit as st

from strategy import analysis
from strategy.ui import no_activities_yet, page_setup
from strategy.ui.coverage import coverage_heatmap, effort_measure, need_against_effort, ranked_gaps
from strategy.ui.loop import record_decision, what_if_money

page = page_setup("Coverage and gaps", icon=":material/troubleshoot:")
year = analysis.gap_period_label(page.filters)
st.caption(
    f"Which places each aim reaches, where nothing or little is happening in {year}, and whether effort "
    "follows need. Choose a period in the sidebar to judge another year."
)
if no_activities_yet(page):
    st.stop()

st.subheader("Coverage of every aim in every place")
coverage_heatmap(page)

st.subheader(f"Gaps in {year}, worst first")
ranked_gaps(page, year)

st.subheader("Need against effort")
need_against_effort(page, effort_measure())

st.subheader("What if the money moved?")
st.caption(
    "Move a sum between places, or spread a new budget by need, and see investment per head, need against "
    "effort and the gaps it reaches beside today's. A scenario is never a reported figure."
)
what_if_money(page)
record_decision(page, "Coverage and gaps")
