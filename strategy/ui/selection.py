"""Click to see, click to filter: what a click on a chart means, and the filters it leaves behind.

Why a module of its own: a click reaches the server as plotly's selection (curve and point numbers, nothing about
places or aims), and what it means depends on the chart. Turning it into a change the sidebar and the link can
show must work the same on every page, so pages only say what their chart's points stand for, and the rules live
here once:

- a chart's points are read into *targets*: (curve, point) -> the (Filters field, code) pairs that point stands for,
  worked out on the server from the figure it drew, never from what the browser sends back;
- a click narrows the page's filters to what was clicked (`narrowed`), by setting the sidebar's own widgets, so the
  sidebar, the address bar and the link show it exactly as if it had been chosen there;
- the filters before the click are kept, and one button ("Undo: show all places") puts them back, offered while the
  filters are still the ones the click made (docs/decisions.md, 30 November 2026);
- a heatmap's cells cannot be clicked in plotly (a heatmap trace has no selection), so an invisible point sits at the
  centre of every cell and carries the click; on the Alignment page it opens the cell's activities by setting the
  same drop-downs keyboard users choose from, so both paths are one state;
- a heatmap shown as a list (on a phone) answers a click on a row as the grid answers a click on its cell.

The pure parts (targets, narrowed, undo_label, the figure layers) take no Streamlit and are unit-tested; the
callbacks at the foot run in Streamlit's widget-callback phase, before the page is drawn again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Iterable, Mapping

import pandas as pd
import plotly.graph_objects as go

from strategy.charts import copy_figure
from strategy.filters import Filters, with_changes

# The Filters field each chart dimension narrows.
FIELD_OF = {"place": "places", "aim": "aims", "way": "ways", "sector": "sectors", "theme": "themes"}
# How the undo button names a field, in the plural.
FIELD_WORDS = {
    "places": "places",
    "aims": "aims",
    "ways": "ways of working",
    "sectors": "sectors",
    "themes": "themes",
    "partners": "partners",
}

Pick = tuple[str, str]  # (Filters field, code)
Targets = dict[tuple[int, int], tuple[Pick, ...]]

UNDO_STATE = "filter_click_undo"


# --- What a chart's points stand for ------------------------------------------------------------------------------


def place_codes(framework) -> dict[str, str]:
    """Every place's name and code, each to its code: what place_targets reads a point's name or location by."""
    return {**{p.name: p.code for p in framework.places}, **{p.code: p.code for p in framework.places}}


def label_codes(framework, kind: str) -> dict[str, str]:
    """The labels of an aim, way, theme or sector, each to its code (label_targets)."""
    return {framework.label(kind, item.code): item.code for item in framework.items(kind)}


def place_targets(fig: go.Figure, codes: Mapping[str, str]) -> Targets:
    """Each point of the figure that names a place: a map area by its code (a choropleth's locations), a point or
    bar by its name (hovertext, else a bar's label). `codes` maps a place's name, and its code, to its code."""
    found: Targets = {}
    for curve, trace in enumerate(fig.data):
        if trace.type == "choropleth":
            names = trace.locations
        elif trace.type in ("scatter", "scattergeo") and trace.hovertext is not None and trace.hoverinfo != "skip":
            names = [trace.hovertext] if isinstance(trace.hovertext, str) else trace.hovertext
        elif trace.type == "bar":
            names = _bar_names(trace)
        else:
            continue
        for index, name in enumerate(names if names is not None else ()):
            code = codes.get(_unwrapped(name))
            if code:
                found[(curve, index)] = (("places", code),)
    return found


def label_targets(fig: go.Figure, field: str, codes: Mapping[str, str]) -> Targets:
    """Each bar of a bar chart whose label is one of `codes` (label -> code), e.g. the aims of a place."""
    found: Targets = {}
    for curve, trace in enumerate(fig.data):
        if trace.type != "bar":
            continue
        for index, label in enumerate(_bar_names(trace)):
            code = codes.get(_unwrapped(label))
            if code:
                found[(curve, index)] = ((field, code),)
    return found


def _bar_names(trace) -> list:
    """Each bar's name: its hovertext (charts.bar_figure draws names above the bars and keeps the bars at rows
    0, 1, ...), else its label on the axis."""
    if trace.hovertext is not None and not isinstance(trace.hovertext, str):
        return list(trace.hovertext)
    labels = trace.y if trace.orientation == "h" else trace.x
    return list(labels) if labels is not None else []


def _unwrapped(label: object) -> str:
    """A label as written, without the line breaks charts.wrap_label put in it."""
    return " ".join(str(label).replace("<br>", " ").split())


def picked(selection: Mapping | None, targets: Targets) -> tuple[Pick, ...]:
    """The (field, code) pairs of the points in a plotly selection ({"points": [{"curve_number", "point_index"},
    ...]}), in the order clicked, each once; points that stand for nothing are passed over."""
    picks: list[Pick] = []
    for point in (selection or {}).get("points", ()) or ():
        index = point.get("point_index", point.get("point_number"))
        for pick in targets.get((point.get("curve_number"), index), ()):
            if pick not in picks:
                picks.append(pick)
    return tuple(picks)


def narrowed(filters: Filters, picks: Iterable[Pick]) -> Filters:
    """The filters narrowed to what was clicked: each field clicked becomes just the codes clicked in it (clicking
    Mansfield with Ashfield and Mansfield chosen leaves Mansfield); the other fields are kept."""
    chosen: dict[str, list[str]] = {}
    for field, code in picks:
        chosen.setdefault(field, [])
        if code not in chosen[field]:
            chosen[field].append(code)
    return with_changes(filters, **chosen) if chosen else filters


def undo_label(before: Filters, after: Filters) -> str:
    """The undo button's words: 'Undo: show all places' when the click narrowed places from all of them, 'Undo:
    back to the earlier aims' when some were chosen before."""
    changed = [field for field in FIELD_WORDS if getattr(before, field) != getattr(after, field)]
    every = [FIELD_WORDS[f] for f in changed if not getattr(before, f)]
    earlier = [FIELD_WORDS[f] for f in changed if getattr(before, f)]
    parts = ([f"show all {_and(every)}"] if every else []) + (
        [f"back to the earlier {_and(earlier)}"] if earlier else []
    )
    return "Undo: " + (", ".join(parts) if parts else "back to the filters before the click")


def _and(words: list[str]) -> str:
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


# --- Heatmaps: a point in every cell, and the chosen cell outlined -------------------------------------------------


def _axes(fig: go.Figure, cells: pd.DataFrame) -> tuple[go.Heatmap, list[str], list[str]]:
    base = next(trace for trace in fig.data if trace.type == "heatmap")
    rows = [code for code, _ in dict.fromkeys(zip(cells.row_code, cells.row_label))]
    columns = [code for code, _ in dict.fromkeys(zip(cells.column_code, cells.column_label))]
    return base, rows, columns


def heatmap_click_layer(fig: go.Figure, cells: pd.DataFrame, dimensions: tuple[str, str]) -> tuple[go.Figure, Targets]:
    """A copy of a heatmap (charts.heatmap_figure of `cells`) with an invisible point at the centre of every cell that
    carries the cell's hover text and its clicks, and the targets of those points: each stands for its (row,
    column) codes, as (FIELD_OF[dimension], code). The heatmap layers themselves no longer answer the hover, so the
    point does, with the same words; every spot of a cell is nearest its own centre, so a click anywhere in it
    picks it."""
    shown = copy_figure(fig)  # the cells' values are read from the validated original
    base, rows, columns = _axes(fig, cells)
    layers = [trace for trace in fig.data if trace.type == "heatmap"]
    xs, ys, words, targets = [], [], [], {}
    curve = len(shown.data)
    for i, row in enumerate(rows):
        for j, column in enumerate(columns):
            xs.append(base.x[j])
            ys.append(base.y[i])
            words.append(_cell_hover(layers, i, j))
            targets[(curve, len(xs) - 1)] = ((FIELD_OF[dimensions[0]], row), (FIELD_OF[dimensions[1]], column))
    for layer in shown.data:
        if layer.type == "heatmap":
            layer.hoverinfo = "skip"
    shown.add_trace(
        go.Scatter(
            x=xs,
            y=ys,
            mode="markers",
            hovertext=words,
            hovertemplate="%{hovertext}<extra></extra>",
            showlegend=False,
            marker=dict(size=8, opacity=0),
            selected=dict(marker=dict(opacity=0)),
            unselected=dict(marker=dict(opacity=0)),
            name="cells",
        )
    )
    shown.update_layout(hoverdistance=-1, hovermode="closest")
    return shown, targets


def _cell_hover(layers: list[go.Heatmap], i: int, j: int) -> str:
    """The hover text the heatmap layer drawing cell (i, j) gives it: its template with the cell's own words."""
    for layer in layers:
        value = layer.z[i][j]
        if value is None or value != value:  # not this layer's cell (NaN)
            continue
        template = (layer.hovertemplate or "%{text}").replace("<extra></extra>", "")
        return template.replace(
            "%{customdata}", str(layer.customdata[i][j]) if layer.customdata is not None else ""
        ).replace("%{text}", str(layer.text[i][j]) if layer.text is not None else "")
    return ""


def outline_cell(fig: go.Figure, cells: pd.DataFrame, row_code: str, column_code: str) -> go.Figure:
    """The figure with one cell outlined (the cell whose activities are listed below it): a white line under a
    dark one, seen on light and dark cells alike. Unchanged when the cell is not in the heatmap."""
    _, rows, columns = _axes(fig, cells)
    if row_code not in rows or column_code not in columns:
        return fig
    i, j = rows.index(row_code), columns.index(column_code)
    for colour, width in (("white", 6), ("#0b0c0c", 3)):
        fig.add_shape(
            type="rect",
            xref="x",
            yref="y",
            x0=j - 0.5,
            x1=j + 0.5,
            y0=i - 0.5,
            y1=i + 0.5,
            line=dict(color=colour, width=width),
            fillcolor="rgba(0,0,0,0)",
            layer="above",
            name="chosen cell",
        )
    return fig


# --- A heatmap as a list: a row for every cell --------------------------------------------------------------------


def list_targets(listed: pd.DataFrame, cells: pd.DataFrame, dimensions: tuple[str, str]) -> dict[int, tuple[Pick, ...]]:
    """Each row of a heatmap's list (analysis.heatmap_list of `cells`: the measure, then the row's and the column's
    labels), by its position, to the (row, column) codes of the cell it lists, as heatmap_click_layer's points stand
    for theirs. Read from the list as drawn, by its labels, so the list's order is decided in one place."""
    codes = {
        (str(row_label), str(column_label)): (row, column)
        for row_label, column_label, row, column in zip(
            cells.row_label, cells.column_label, cells.row_code, cells.column_code
        )
    }
    found: dict[int, tuple[Pick, ...]] = {}
    for position, (row_label, column_label) in enumerate(zip(listed.iloc[:, 1], listed.iloc[:, 2])):
        cell = codes.get((str(row_label), str(column_label)))
        if cell:
            found[position] = ((FIELD_OF[dimensions[0]], cell[0]), (FIELD_OF[dimensions[1]], cell[1]))
    return found


# --- In Streamlit: the callbacks and the undo button ------------------------------------------------------------


@dataclass(frozen=True)
class Undo:
    """The filters before a click narrowed them, the filters it made, the button's words and the chart clicked."""

    before: Filters
    after: Filters
    label: str
    chart: str = ""


def on_click(key: str, targets: Targets, act: Callable[..., None]) -> Callable[[], None]:
    """The chart's on_select callback: the picks of its new selection, given to `act` with the chart's key
    (nothing for a click that clears the selection or lands on nothing)."""

    def callback() -> None:
        import streamlit as st

        state = st.session_state.get(key)
        picks = picked((state or {}).get("selection"), targets)
        if picks:
            act(picks, chart=key)

    return callback


def on_row_click(
    key: str, targets: dict[int, tuple[Pick, ...]], act: Callable[..., None], chart: str = ""
) -> Callable[[], None]:
    """A table's on_select callback (a heatmap's list): the picks of the row chosen, given to `act` with the
    chart's key (`chart`, else the table's), as a click on a chart's point is (nothing when the row is let go)."""

    def callback() -> None:
        import streamlit as st

        state = st.session_state.get(key) or {}
        rows = (state.get("selection") or {}).get("rows") or ()
        picks = tuple(pick for position in rows for pick in targets.get(position, ()))
        if picks:
            act(picks, chart=chart or key)

    return callback


def narrow_filters(picks: tuple[Pick, ...], chart: str = "") -> None:
    """Narrow the page's filters to the picks, through the sidebar's own widgets (they write the link on this run),
    keeping the filters before for the undo button."""
    import streamlit as st

    from strategy.ui.sidebar import seed_widgets

    before: Filters = st.session_state.get("filters") or Filters()
    after = narrowed(before, picks)
    if after == before:
        return
    undo = st.session_state.get(UNDO_STATE)
    if undo is not None and undo.after == before:  # a second click narrows again; undo goes back to the start
        before = undo.before
    seed_widgets(after, force=True)
    st.session_state[UNDO_STATE] = Undo(before, after, undo_label(before, after), chart)


def choose_cell(row_key: str, column_key: str) -> Callable[[tuple[Pick, ...]], None]:
    """An act for a heatmap click on the Alignment page: set the drill-down's drop-downs to the clicked cell."""

    def act(picks: tuple[Pick, ...], chart: str = "") -> None:
        import streamlit as st

        st.session_state[row_key], st.session_state[column_key] = picks[0][1], picks[1][1]

    return act


def _undo() -> None:
    import streamlit as st

    from strategy.ui.sidebar import seed_widgets

    undo = st.session_state.pop(UNDO_STATE, None)
    if undo is not None:
        seed_widgets(undo.before, force=True)


def undo_button(current: Filters | None, key: str, chart: str = "") -> None:
    """The one-click undo of the last click that narrowed the filters, while the filters are still the ones it
    made; once they are changed another way the undo is forgotten (those changes are not thrown away). In the
    sidebar (no `chart`) it is always offered; beside a chart only beside the one clicked."""
    import streamlit as st

    undo: Undo | None = st.session_state.get(UNDO_STATE)
    if undo is None:
        return
    if undo.after != current:
        del st.session_state[UNDO_STATE]
        return
    if chart and chart != undo.chart:
        return
    st.button(
        undo.label,
        key=key,
        on_click=_undo,
        icon=":material/undo:",
        type="primary",
        help="Puts back the filters you had before clicking the chart.",
    )
