"""The heatmaps of the dashboard pages (Overview, Alignment, Coverage and gaps) on screen: as a grid or, on a phone,
as a list; the screen copy with its click layer and chosen cell; and the choices beside a heatmap that live in the
address (the layout, Alignment's view and measure)."""

from __future__ import annotations

import threading
from collections import OrderedDict

import streamlit as st

from strategy.charts import copy_figure, screen_figure
from strategy.ui import selection
from strategy.ui.text import plain
from strategy.ui.widgets import chart_block

LAYOUTS = {"grid": "Grid", "list": "List"}


def heatmap_layout(key: str) -> str:
    """'grid' or 'list': the heatmap's layout, chosen beside it, kept in the address (?layout=list) so a link opens
    the same layout, and carried from page to page in the session. A phone (390 px) reads the list."""
    wanted = st.query_params.get("layout")
    if wanted in LAYOUTS:
        st.session_state["heatmap_layout"] = wanted
    current = st.session_state.get("heatmap_layout", "grid")
    choice = (
        st.segmented_control(
            "Layout",
            list(LAYOUTS),
            format_func=LAYOUTS.get,
            default=current,
            key=f"{key}_layout",
            help="Grid: the heatmap. List: every cell as a row of a table, largest first, readable on a phone.",
        )
        or current
    )
    st.session_state["heatmap_layout"] = choice
    if choice == "list":
        st.query_params["layout"] = "list"
    elif "layout" in st.query_params:
        del st.query_params["layout"]
    return choice


def linked_choice(
    label: str,
    options: list[str],
    default: str,
    key: str,
    param: str,
    format_func=None,
    in_link=None,
    help: str | None = None,
    container=None,
) -> str:
    """A segmented control whose choice lives in the address (?param=...), like the filters: a copied link, or a
    reload, opens the same choice. `in_link` gives an option's word in the link (default: the option itself); the
    default choice is left out of the link, as empty filters are. A choice made in this session wins over the
    address, which it then rewrites."""
    in_link = in_link or (lambda option: option)
    by_word = {in_link(option): option for option in options}
    if key not in st.session_state or st.session_state[key] not in options:
        st.session_state[key] = by_word.get(st.query_params.get(param), default)
    choice = (container or st).segmented_control(label, options, key=key, format_func=format_func, help=help) or default
    if choice != default:
        st.query_params[param] = in_link(choice)
    elif param in st.query_params:
        del st.query_params[param]
    return choice


# Screen copies kept with each view, at most this many (the least recently drawn go first): one per chosen cell.
SCREEN_COPIES_PER_VIEW = 64
_SCREEN_COPIES_LOCK = threading.Lock()


def screen_heatmap(view, rows: str, columns: str, clickable: bool, chosen: tuple[str, str] | None):
    """The screen copy of a heatmap with its click layer and chosen cell, and the layer's targets; built once per
    cached view and cell (copying and validating a figure takes tens of milliseconds) and shared by every session.

    The copies are kept with the view itself (shared_figures.heatmap_view's cached answer, on its figure, as
    widgets.screen_copy keeps a chart's copy), so they go when the view goes: when data changes (data_changed
    clears the views with every other cached answer after an upload, a roll-back or an indicator import), and when
    the view's cache lets it go. A copy is never drawn for data it was not made from."""
    key = (rows, columns, clickable, chosen)
    with _SCREEN_COPIES_LOCK:
        copies = view.figure.__dict__.get("_screen_heatmaps")
        if copies is None:
            copies = OrderedDict()
            view.figure._screen_heatmaps = copies  # plotly lets private attributes through
        found = copies.get(key)
        if found is not None:
            copies.move_to_end(key)
            return found
    shown, targets = (
        selection.heatmap_click_layer(view.figure, view.cells, (rows, columns))
        if clickable
        else (copy_figure(view.figure), None)
    )
    if chosen:
        selection.outline_cell(shown, view.cells, *chosen)
    shown = screen_figure(shown)
    with _SCREEN_COPIES_LOCK:
        copies[key] = (shown, targets)
        while len(copies) > SCREEN_COPIES_PER_VIEW:
            copies.popitem(last=False)
    return shown, targets


def heatmap_block(
    view,
    rows: str,
    columns: str,
    measure: str,
    key: str,
    on_pick=None,
    hint: str = "",
    chosen: tuple[str, str] | None = None,
    list_hint: str = "",
) -> None:
    """A heatmap as a grid (the chart with its summary, downloads and table) or as a sorted list, as chosen.
    With `on_pick`, a click on a cell, or on its row of the list, picks its (row, column) codes
    (strategy/ui/selection.py); `hint` and `list_hint` say what a click does in each; `chosen` is a (row, column)
    cell to outline on screen."""
    from strategy import analysis

    if heatmap_layout(key) == "grid":
        shown, targets = screen_heatmap(view, rows, columns, on_pick is not None, chosen)
        chart_block(
            view.figure, view.summary, view.table, key=key, targets=targets, on_pick=on_pick, hint=hint, shown=shown
        )
        return
    with st.container(key=f"list_{key}"):
        listed = analysis.heatmap_list(view.cells, rows, columns, measure)
        value = analysis.MEASURES[measure]
        clickable = on_pick is not None
        if clickable and on_pick is selection.narrow_filters:
            selection.undo_button(st.session_state.get("filters"), key=f"{key}_undo", chart=key)
        targets = selection.list_targets(listed, view.cells, (rows, columns)) if clickable else {}
        st.dataframe(
            listed,
            hide_index=True,
            width="stretch",
            key=f"{key}_list",
            column_config={
                value: st.column_config.NumberColumn(
                    value,
                    format="£%.0f" if measure == "investment" else "localized",
                    help="Largest first. An activity counts in every cell it names.",
                )
            },
            **(
                {
                    "on_select": selection.on_row_click(f"{key}_list", targets, on_pick, chart=key),
                    "selection_mode": "single-row",
                }
                if clickable
                else {}
            ),
        )
        st.caption(plain(view.summary) + (f" {list_hint}" if clickable and list_hint else ""))
