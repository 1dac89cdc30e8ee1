"""Blocks the pages share: a chart with its summary, downloads and table; headline indicator tiles; money."""

from __future__ import annotations

import threading
from collections import OrderedDict

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from strategy import images
from strategy.charts import screen_figure
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.indicators import trends
from strategy.ui import selection
from strategy.ui.data import answer
from strategy.ui.text import plain


def chart_block(
    fig: go.Figure,
    summary: str,
    table: pd.DataFrame | pa.Table,
    key: str,
    targets: selection.Targets | None = None,
    on_pick=None,
    hint: str = "",
    shown: go.Figure | None = None,
) -> None:
    """A chart with its one-sentence summary, PNG and SVG downloads, and a table view of the same numbers.

    The summary sits directly under the chart (screen readers reach it next) and is the alt text of every
    exported image. Images are drawn only when a download is clicked, then cached by the figure.
    A clickable chart (strategy/ui/selection.py) gets `targets` (what its points stand for) and `on_pick` (what a
    click does: selection.narrow_filters, or a page's own act) and says so in `hint`; `shown` is the figure drawn
    on screen when it differs from the one downloaded (a heatmap's click layer), already made for the screen.
    """
    with st.container(key=f"chart_{key}"):
        clickable = bool(targets) and on_pick is not None
        if clickable and on_pick is selection.narrow_filters:
            selection.undo_button(st.session_state.get("filters"), key=f"{key}_undo", chart=key)
        # the screen copy follows the viewer's light or dark theme; downloads keep the white original.
        # scrollZoom off: a map otherwise zooms out when the reader scrolls the page past it
        st.plotly_chart(
            shown or screen_copy(fig),
            key=key,
            alt=summary,
            theme="streamlit",
            config={"displaylogo": False, "scrollZoom": False, "toImageButtonOptions": {"format": "png", "scale": 2}},
            **(
                {"on_select": selection.on_click(key, targets, on_pick), "selection_mode": "points"}
                if clickable
                else {}
            ),
        )
        st.caption(plain(summary) + (f" {hint}" if clickable and hint else ""))
        downloads = st.container(horizontal=True, gap="small")
        missing = images.unavailable_reason()  # Chromium draws the images: say so rather than fail on the click
        downloads.download_button(
            "Download PNG",
            data=lambda: images.figure_image(fig, "png"),
            file_name=f"{key}.png",
            mime="image/png",
            key=f"{key}_png",
            on_click="ignore",
            icon=":material/image:",
            help=missing or "The chart as a picture, for documents and slides",
            disabled=bool(missing),
        )
        downloads.download_button(
            "Download SVG",
            data=lambda: images.figure_image(fig, "svg"),
            file_name=f"{key}.svg",
            mime="image/svg+xml",
            key=f"{key}_svg",
            on_click="ignore",
            icon=":material/draw:",
            help=missing or "The chart as a scalable drawing, for print",
            disabled=bool(missing),
        )
        with st.expander("Show as table"):
            st.dataframe(table, hide_index=True, width="stretch")


def screen_copy(fig: go.Figure) -> go.Figure:
    """charts.screen_figure(fig), made once per figure and kept with it: the figures pages draw are mostly shared
    by every session (strategy.ui.data.figure, heatmap_view), and copying one (a map holds every boundary) was a
    third of a warm page run. A figure is not changed once it has been drawn."""
    shown = fig.__dict__.get("_screen_copy")
    if shown is None:
        shown = screen_figure(fig)
        fig._screen_copy = shown  # plotly lets private attributes through
    return shown


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


_SCREEN_HEATMAPS: OrderedDict = OrderedDict()
_SCREEN_HEATMAPS_LOCK = threading.Lock()


def _screen_heatmap(view, rows: str, columns: str, clickable: bool, chosen: tuple[str, str] | None):
    """The screen copy of a heatmap with its click layer and chosen cell, and the layer's targets; built once per
    cached view and cell (copying and validating a figure takes tens of milliseconds) and shared by every session.
    Views are cached objects (data.heatmap_view), so a view's identity is its question and data."""
    key = (id(view), rows, columns, clickable, chosen)
    with _SCREEN_HEATMAPS_LOCK:
        found = _SCREEN_HEATMAPS.get(key)
        if found is not None and found[0] is view:
            _SCREEN_HEATMAPS.move_to_end(key)
            return found[1], found[2]
    shown, targets = (
        selection.heatmap_click_layer(view.figure, view.cells, (rows, columns))
        if clickable
        else (go.Figure(view.figure), None)
    )
    if chosen:
        selection.outline_cell(shown, view.cells, *chosen)
    shown = screen_figure(shown)
    with _SCREEN_HEATMAPS_LOCK:
        _SCREEN_HEATMAPS[key] = (view, shown, targets)
        while len(_SCREEN_HEATMAPS) > 300:
            _SCREEN_HEATMAPS.popitem(last=False)
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
) -> None:
    """A heatmap as a grid (the chart with its summary, downloads and table) or as a sorted list, as chosen.
    With `on_pick`, a click on a cell picks its (row, column) codes (strategy/ui/selection.py); `chosen` is a
    (row, column) cell to outline on screen."""
    from strategy import analysis

    if heatmap_layout(key) == "grid":
        shown, targets = _screen_heatmap(view, rows, columns, on_pick is not None, chosen)
        chart_block(
            view.figure, view.summary, view.table, key=key, targets=targets, on_pick=on_pick, hint=hint, shown=shown
        )
        return
    with st.container(key=f"list_{key}"):
        listed = analysis.heatmap_list(view.cells, rows, columns, measure)
        value = analysis.MEASURES[measure]
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
        )
        st.caption(plain(view.summary))


DELTA_COLOURS = {"higher_is_better": "normal", "lower_is_better": "inverse"}


def headline_indicator_tiles(filters: Filters) -> None:
    """Metric tiles of the headline indicators for the filtered place: latest value, change since the previous
    period (green when it moved the good way, by the indicator's polarity), comparison and trend in the help."""
    from strategy.indicators.trends import headline_place

    # The tiles depend only on the one place they describe; every place's are computed together once and shared by
    # all sessions (one place at a time, they were most of a first Overview's time under load).
    place_code = headline_place(load_framework(), filters)
    every_place = answer(trends.headline_indicators_by_place, Filters())
    if every_place.empty:  # no headline indicator has values yet
        return
    table = every_place[every_place.place_code == place_code].reset_index(drop=True)
    if table.empty:
        return
    place = table.place_name.iloc[0]
    st.markdown(
        f"**Population indicators: {place}**"
        + (
            ""
            if len(filters.places) == 1 or place != "England"
            else " — choose one place in the filters to see its own"
        )
    )
    from strategy.indicators.trends import COMPARISON_SOURCE_WORDS, comparison_phrase

    for tile, row in zip(st.columns(len(table)), table.itertuples()):
        unit = "%" if row.unit == "%" else ""
        delta = (
            None if pd.isna(row.change) else f"{row.change:+.1f}{' points' if unit else ''} since {row.previous_period}"
        )
        england = (
            ""
            if pd.isna(row.england_value) or row.place_name == "England"
            else f" England: {row.england_value:.1f}{unit}."
        )
        tile.metric(
            plain(f"{row.short_name} ({row.period_label or row.period})"),
            f"{row.value:.1f}{unit}",
            delta=delta,
            border=True,
            delta_color=DELTA_COLOURS.get(row.polarity, "off"),
            help=f"Compared with England: {comparison_phrase(row.compared_to_england, row.comparison_source)}."
            f" Recent trend: {row.recent_trend}.{england} Aim {row.aim}.",
        )
    compared = [row for row in table.itertuples() if row.comparison_source in COMPARISON_SOURCE_WORDS]
    if compared:
        st.caption(
            "Compared with England: "
            + "; ".join(  # the indicator's name is a stored value: plain()
                f"{plain(row.short_name)} {comparison_phrase(row.compared_to_england, row.comparison_source)}"
                for row in compared
            )
            + "."
        )
