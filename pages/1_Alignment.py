"""Alignment: aims x ways of working (and place, sector, theme x aim), with the activities behind any cell."""

import streamlit as st

from strategy import analysis, periods
from strategy.ui import (
    answer_table,
    heatmap_block,
    heatmap_view,
    no_activities_yet,
    page_setup,
    pinned_quotes,
    pinned_quotes_for,
    plain,
)
from strategy.ui.loop import record_decision
from strategy.ui.selection import choose_cell
from strategy.ui.widgets import linked_choice

VIEWS = {
    "Aims x ways of working": ("aim", "way"),
    "Places x aims": ("place", "aim"),
    "Sectors x aims": ("sector", "aim"),
    "Themes x aims": ("theme", "aim"),
}

page = page_setup("Alignment", icon=":material/grid_on:")
st.caption(
    "Where partners' activities meet the strategy. Empty cells say *none*; thin cells (1 or 2 activities) "
    "are in orange. An activity counts in every cell it names, so cells overlap; investment and participants "
    "in a place are that place's apportioned share. " + periods.counting_rule()
)
if no_activities_yet(page):
    st.stop()

left, right = st.columns([3, 2])
# the view and measure live in the address like the filters (?view=place-aim&measure=investment)
view = linked_choice(
    "View",
    list(VIEWS),
    "Aims x ways of working",
    key="alignment_view",
    param="view",
    in_link=lambda v: "-".join(VIEWS[v]),
    container=left,
)
measure = linked_choice(
    "Measure",
    list(analysis.MEASURES),
    "activities",
    key="alignment_measure",
    param="measure",
    format_func=analysis.MEASURES.get,
    container=right,
)
rows, columns = VIEWS[view]
row_labels = dict(analysis.dimension_codes(page.framework, rows, page.filters))
column_labels = dict(analysis.dimension_codes(page.framework, columns, page.filters))
ROW_KEY, COLUMN_KEY = f"cell_row_{rows}", f"cell_column_{columns}"
for key, labels in ((ROW_KEY, row_labels), (COLUMN_KEY, column_labels)):
    if st.session_state.get(key) not in labels:  # the drop-downs' first choice until one is made, or clicked
        st.session_state[key] = next(iter(labels))

title = (
    f"{analysis.MEASURES[measure]} by {analysis.DIMENSION_NAMES[rows].lower()} and "
    f"{analysis.DIMENSION_NAMES[columns].lower()}"
)
heatmap = heatmap_view(page.filters, rows, columns, measure, title, page.source())
# a click on a cell sets the drop-downs below (the keyboard's way to the same cell); the chosen cell is outlined
heatmap_block(
    heatmap,
    rows,
    columns,
    measure,
    key="alignment_heatmap",
    on_pick=choose_cell(ROW_KEY, COLUMN_KEY),
    hint="Click a cell to list its activities below.",
    chosen=(st.session_state[ROW_KEY], st.session_state[COLUMN_KEY]),
)

if heatmap.empty or heatmap.thin:
    st.warning(
        f"**{len(heatmap.empty)} empty** and **{len(heatmap.thin)} thin** cells (fewer than "
        f"{analysis.THIN_CELL} activities). "
        + ("Empty: " + plain("; ".join(heatmap.empty[:8])) if heatmap.empty else ""),
        icon=":material/report:",
    )

st.subheader("Activities behind a cell")
pick_row, pick_column = st.columns(2)
row_code = pick_row.selectbox(analysis.DIMENSION_NAMES[rows], list(row_labels), format_func=row_labels.get, key=ROW_KEY)
column_code = pick_column.selectbox(
    analysis.DIMENSION_NAMES[columns], list(column_labels), format_func=column_labels.get, key=COLUMN_KEY
)
behind = answer_table(analysis.activities_in_cell, page.filters, rows, row_code, columns, column_code)
total = analysis.cell_total(behind)
st.markdown(
    f"**{total['activities']:,} activities** address {plain(row_labels[row_code])} and "
    f"{plain(column_labels[column_code])}"
    + (
        f" ({total['shown']:,} of {total['activities']:,} shown, the newest)"
        if total["shown"] < total["activities"]
        else ""
    )
    + "."
)
MONEY = {
    "investment_gbp": st.column_config.NumberColumn(
        "Investment (whole)", format="£%.0f", help="The activity's whole investment, as reported"
    ),
    "investment_in_cell": st.column_config.NumberColumn(
        "Investment in this cell",
        format="£%.0f",
        help="The part that counts in this cell: the whole x its share in the place(s) x its share in the period",
    ),
    "participants": st.column_config.NumberColumn(
        "Participants (attendances), whole",
        format="%.0f",
        help="The activity's whole participants as reported: " + analysis.ATTENDANCES_NOTE,
    ),
    "participants_in_cell": st.column_config.NumberColumn(
        "Participants (attendances) in this cell",
        format="%.1f",
        help="The part that counts in this cell, as for investment. " + analysis.ATTENDANCES_NOTE,
    ),
    "share_in_cell": st.column_config.ProgressColumn(
        "Share in this cell",
        format="percent",
        min_value=0.0,
        max_value=1.0,
        help="Place share (by population) x period share (days of the run in the period / days in the run)",
    ),
}
SHOWN = [
    "activity_id",
    "title",
    "partner",
    "sector",
    "start_date",
    "end_date",
    "status",
    "investment_gbp",
    "investment_in_cell",
    "participants",
    "participants_in_cell",
    "share_in_cell",
    "is_experiment",
    "aims",
    "ways",
    "themes",
    "places",
]
st.dataframe(
    behind,
    hide_index=True,
    width="stretch",
    column_order=SHOWN,
    column_config={
        **MONEY,
        "start_date": st.column_config.DateColumn("Start", format="DD/MM/YYYY"),
        "end_date": st.column_config.DateColumn("End (blank: running to today)", format="DD/MM/YYYY"),
        "is_experiment": st.column_config.CheckboxColumn("Experiment"),
    },
)
# The total row is the cell's own figure, over all its activities even when the list above is cut.
st.dataframe(
    {
        "title": [f"Total: all {total['activities']:,} activities in this cell"],
        "investment_gbp": [total["investment_whole"]],
        "investment_in_cell": [total["investment"]],
        "participants": [total["participants_whole"]],
        "participants_in_cell": [total["participants"]],
    },
    hide_index=True,
    width="stretch",
    column_config={**MONEY, "title": st.column_config.TextColumn("")},
    key="cell_total_row",
)

# Lived experience beside the numbers: resident quotes pinned (on an empathy map) to this cell's aim and place.
st.divider()
cell = [(rows, row_code, row_labels[row_code]), (columns, column_code, column_labels[column_code])]
cell_aims = [code for dimension, code, _ in cell if dimension == "aim"]
cell_places = [code for dimension, code, _ in cell if dimension == "place"]
pinned_to = " and ".join(label for dimension, _, label in cell if dimension in ("aim", "place"))
pinned_quotes(
    pinned_quotes_for(page.filters, aims=tuple(cell_aims), places=tuple(cell_places)),
    heading=f"In residents' words: quotes pinned to {pinned_to}" if pinned_to else "In residents' words",
)
record_decision(page, f"Alignment: {view}")
