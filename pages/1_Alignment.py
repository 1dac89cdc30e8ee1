"""Alignment: aims x ways of working (and place, sector, theme x aim), with the activities behind any cell."""

import streamlit as st

from strategy import periods
from strategy.ui import no_activities_yet, page_setup
from strategy.ui.alignment import (
    alignment_heatmap,
    cell_activities,
    cell_choice,
    cell_quotes,
    empty_and_thin_cells,
    view_and_measure,
)
from strategy.ui.loop import record_decision

page = page_setup("Alignment", icon=":material/grid_on:")
st.caption(
    "Where partners' activities meet the strategy. Empty cells say *none*; thin cells (1 or 2 activities) "
    "are in orange. An activity counts in every cell it names, so cells overlap; investment and participants "
    "in a place are that place's apportioned share. " + periods.counting_rule()
)
if no_activities_yet(page):
    st.stop()

view = view_and_measure(page)
heatmap = alignment_heatmap(page, view)
empty_and_thin_cells(heatmap)

st.subheader("Activities behind a cell")
row_code, column_code = cell_choice(view)
cell_activities(page, view, row_code, column_code)

st.divider()
cell_quotes(page, view, row_code, column_code)
record_decision(page, f"Alignment: {view.name}")
