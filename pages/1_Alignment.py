"""Alignment: aims x ways of working (and place, sector, theme x aim), with the activities behind any cell."""

import streamlit as st

from strategy import analysis
from strategy.ui import cached_table, chart_block, heatmap_view, page_setup, pinned_quotes, pinned_quotes_for, plain

VIEWS = {"Aims x ways of working": ("aim", "way"), "Places x aims": ("place", "aim"),
         "Sectors x aims": ("sector", "aim"), "Themes x aims": ("theme", "aim")}

page = page_setup("Alignment", icon=":material/grid_on:")
st.caption("Where partners' activities meet the strategy. Empty cells say *none*; thin cells (1 or 2 activities) "
           "are in orange. An activity counts in every cell it names, so cells overlap; investment and participants "
           "in a place are that place's apportioned share.")

left, right = st.columns([3, 2])
view = left.segmented_control("View", list(VIEWS), default="Aims x ways of working", key="alignment_view") \
    or "Aims x ways of working"
measure = right.segmented_control("Measure", list(analysis.MEASURES), default="activities",
                                  format_func=analysis.MEASURES.get, key="alignment_measure") or "activities"
rows, columns = VIEWS[view]

title = f"{analysis.MEASURES[measure]} by {analysis.DIMENSION_NAMES[rows].lower()} and " \
        f"{analysis.DIMENSION_NAMES[columns].lower()}"
heatmap = heatmap_view(page.filters, rows, columns, measure, title, page.source())
chart_block(heatmap.figure, heatmap.summary, heatmap.table, key="alignment_heatmap")

if heatmap.empty or heatmap.thin:
    st.warning(f"**{len(heatmap.empty)} empty** and **{len(heatmap.thin)} thin** cells (fewer than "
               f"{analysis.THIN_CELL} activities). "
               + ("Empty: " + plain("; ".join(heatmap.empty[:8])) if heatmap.empty else ""), icon=":material/report:")

st.subheader("Activities behind a cell")
pick_row, pick_column = st.columns(2)
row_labels = dict(analysis.dimension_codes(page.framework, rows, page.filters))
column_labels = dict(analysis.dimension_codes(page.framework, columns, page.filters))
row_code = pick_row.selectbox(analysis.DIMENSION_NAMES[rows], list(row_labels), format_func=row_labels.get,
                              key=f"cell_row_{rows}")
column_code = pick_column.selectbox(analysis.DIMENSION_NAMES[columns], list(column_labels),
                                    format_func=column_labels.get, key=f"cell_column_{columns}")
behind = cached_table("activities_in_cell", page.filters, rows, row_code, columns, column_code)
st.markdown(f"**{behind.num_rows:,} activities** address {plain(row_labels[row_code])} and "
            f"{plain(column_labels[column_code])}"
            + (" (the newest 500 shown)" if behind.num_rows == 500 else "") + ".")
st.dataframe(behind, hide_index=True, width="stretch",
             column_config={"investment_gbp": st.column_config.NumberColumn("Investment", format="£%.0f"),
                            "start_date": st.column_config.DateColumn("Start", format="DD/MM/YYYY"),
                            "end_date": st.column_config.DateColumn("End", format="DD/MM/YYYY"),
                            "is_experiment": st.column_config.CheckboxColumn("Experiment")})

# Lived experience beside the numbers: resident quotes pinned (on an empathy map) to this cell's aim and place.
st.divider()
cell = [(rows, row_code, row_labels[row_code]), (columns, column_code, column_labels[column_code])]
cell_aims = [code for dimension, code, _ in cell if dimension == "aim"]
cell_places = [code for dimension, code, _ in cell if dimension == "place"]
pinned_to = " and ".join(label for dimension, _, label in cell if dimension in ("aim", "place"))
pinned_quotes(pinned_quotes_for(page.filters, aims=tuple(cell_aims), places=tuple(cell_places)),
              heading=f"In residents' words: quotes pinned to {pinned_to}" if pinned_to else "In residents' words")
