"""The Alignment page's parts: the view and measure, the heatmap with its chosen cell, its empty and thin cells, and
the activities and residents' quotes behind a cell."""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from strategy import analysis
from strategy.ui.data import answer_table
from strategy.ui.heatmaps import heatmap_block, linked_choice
from strategy.ui.learning import pinned_quotes
from strategy.ui.page import Page
from strategy.ui.selection import choose_cell
from strategy.ui.shared_answers import pinned_quotes_for
from strategy.ui.shared_figures import heatmap_view
from strategy.ui.text import plain

VIEWS = {
    "Aims x ways of working": ("aim", "way"),
    "Places x aims": ("place", "aim"),
    "Sectors x aims": ("sector", "aim"),
    "Themes x aims": ("theme", "aim"),
}
DEFAULT_VIEW, DEFAULT_MEASURE = "Aims x ways of working", "activities"


@dataclass(frozen=True)
class View:
    """What the heatmap shows: the view's name, its rows and columns (analysis.DIMENSION_NAMES) and the measure,
    with the labels of its rows and columns (code -> label) and the keys of the drop-downs that choose a cell."""

    name: str
    rows: str
    columns: str
    measure: str
    row_labels: dict
    column_labels: dict

    @property
    def row_key(self) -> str:
        return f"cell_row_{self.rows}"

    @property
    def column_key(self) -> str:
        return f"cell_column_{self.columns}"

    @property
    def title(self) -> str:
        return (
            f"{analysis.MEASURES[self.measure]} by {analysis.DIMENSION_NAMES[self.rows].lower()} and "
            f"{analysis.DIMENSION_NAMES[self.columns].lower()}"
        )

    @property
    def first_cell(self) -> tuple[str, str]:
        """The cell listed until one is chosen: the drop-downs' first choices."""
        return next(iter(self.row_labels)), next(iter(self.column_labels))

    @property
    def chosen(self) -> tuple[str, str]:
        """The cell whose activities are listed (the drop-downs' choice, or a click's)."""
        return st.session_state[self.row_key], st.session_state[self.column_key]


def view_and_measure(page: Page) -> View:
    """The View and Measure controls side by side, kept in the address like the filters
    (?view=place-aim&measure=investment); the chosen cell starts at the drop-downs' first choice until one is made,
    or clicked."""
    left, right = st.columns([3, 2])
    name = linked_choice(
        "View",
        list(VIEWS),
        DEFAULT_VIEW,
        key="alignment_view",
        param="view",
        in_link=lambda v: "-".join(VIEWS[v]),
        container=left,
    )
    measure = linked_choice(
        "Measure",
        list(analysis.MEASURES),
        DEFAULT_MEASURE,
        key="alignment_measure",
        param="measure",
        format_func=analysis.MEASURES.get,
        container=right,
    )
    view = view_of(page, name, measure)
    for key, labels in ((view.row_key, view.row_labels), (view.column_key, view.column_labels)):
        if st.session_state.get(key) not in labels:
            st.session_state[key] = next(iter(labels))
    return view


def view_of(page: Page, name: str, measure: str) -> View:
    """The View named (a key of VIEWS) with the measure, for the page's filters."""
    rows, columns = VIEWS[name]
    return View(
        name,
        rows,
        columns,
        measure,
        dict(analysis.dimension_codes(page.framework, rows, page.filters)),
        dict(analysis.dimension_codes(page.framework, columns, page.filters)),
    )


def view_heatmap(page: Page, view: View):
    """The heatmap of the view for the page's filters (shared_figures.HeatmapView). The start-up warming builds it
    too, for the view a link opens (strategy/ui/warming.py)."""
    return heatmap_view(page.filters, view.rows, view.columns, view.measure, view.title, page.source())


def alignment_heatmap(page: Page, view: View):
    """The heatmap, the chosen cell outlined; a click on a cell sets the drop-downs below (the keyboard's way to the
    same cell). The heatmap's view (data.HeatmapView), for the empty and thin cells."""
    heatmap = view_heatmap(page, view)
    heatmap_block(
        heatmap,
        view.rows,
        view.columns,
        view.measure,
        key="alignment_heatmap",
        on_pick=choose_cell(view.row_key, view.column_key),
        hint="Click a cell to list its activities below.",
        list_hint="Click a row to list its activities below.",
        chosen=view.chosen,
    )
    return heatmap


def empty_and_thin_cells(heatmap) -> None:
    """A warning counting the empty and thin cells, naming the first empty ones."""
    if heatmap.empty or heatmap.thin:
        st.warning(
            f"**{len(heatmap.empty)} empty** and **{len(heatmap.thin)} thin** cells (fewer than "
            f"{analysis.THIN_CELL} activities). "
            + ("Empty: " + plain("; ".join(heatmap.empty[:8])) if heatmap.empty else ""),
            icon=":material/report:",
        )


def cell_choice(view: View) -> tuple[str, str]:
    """The two drop-downs that choose a cell: (row code, column code)."""
    pick_row, pick_column = st.columns(2)
    row_code = pick_row.selectbox(
        analysis.DIMENSION_NAMES[view.rows], list(view.row_labels), format_func=view.row_labels.get, key=view.row_key
    )
    column_code = pick_column.selectbox(
        analysis.DIMENSION_NAMES[view.columns],
        list(view.column_labels),
        format_func=view.column_labels.get,
        key=view.column_key,
    )
    return row_code, column_code


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


def cell_activities(page: Page, view: View, row_code: str, column_code: str) -> None:
    """How many activities address the cell, the newest of them with their money and participants in the cell,
    and a total row that is the cell's own figure, over all its activities even when the list is cut."""
    behind = answer_table(analysis.activities_in_cell, page.filters, view.rows, row_code, view.columns, column_code)
    total = analysis.cell_total(behind)
    st.markdown(
        f"**{total['activities']:,} activities** address {plain(view.row_labels[row_code])} and "
        f"{plain(view.column_labels[column_code])}"
        + (
            f" ({total['shown']:,} of {total['activities']:,} shown, the newest)"
            if total["shown"] < total["activities"]
            else ""
        )
        + "."
    )
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


def cell_quotes(page: Page, view: View, row_code: str, column_code: str) -> None:
    """Lived experience beside the numbers: resident quotes pinned (on an empathy map) to the cell's aim and
    place."""
    cell = [
        (view.rows, row_code, view.row_labels[row_code]),
        (view.columns, column_code, view.column_labels[column_code]),
    ]
    cell_aims = [code for dimension, code, _ in cell if dimension == "aim"]
    cell_places = [code for dimension, code, _ in cell if dimension == "place"]
    pinned_to = " and ".join(label for dimension, _, label in cell if dimension in ("aim", "place"))
    pinned_quotes(
        pinned_quotes_for(page.filters, aims=tuple(cell_aims), places=tuple(cell_places)),
        heading=f"In residents' words: quotes pinned to {pinned_to}" if pinned_to else "In residents' words",
    )
