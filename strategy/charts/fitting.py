"""A chart refitted for where it is shown: larger type for a projector, a slide's chart box, the screen's light or
dark theme."""

from __future__ import annotations

import plotly.graph_objects as go

from strategy.charts.common import (
    FONT,
    LINE_HEIGHT,
    MUTED,
    ROW_LABEL_WIDTH,
    _heading_room,
    legend_room,
    place_source,
    wrap_label,
)
from strategy.charts.labels import MAP_NAMES, PLACED_NAMES, place_map_labels, place_scatter_labels
from strategy.charts.maps import BOUNDARY_ATTRIBUTION


def projector_figure(fig: go.Figure) -> go.Figure:
    """A copy of a chart with larger type and height, readable from the back of a board room."""
    big = go.Figure(fig)
    big.update_layout(
        font=dict(size=20),
        height=max(int((fig.layout.height or 450) * 1.35), 560),
        title=dict(font=dict(size=26)),
        margin=dict(b=120),
    )
    # Set explicitly: the dashboard's chart theme would otherwise draw axis labels small and light.
    big.update_xaxes(tickfont=dict(size=18, color=FONT["color"]), title_font=dict(size=19, color=FONT["color"]))
    big.update_yaxes(tickfont=dict(size=18, color=FONT["color"]), title_font=dict(size=19, color=FONT["color"]))
    big.update_traces(textfont=dict(size=20), selector=dict(type="heatmap"))
    for trace in big.data:  # larger type: column headings wrapped narrower so neighbours do not touch
        if trace.type == "heatmap" and any("<br>" in str(x) for x in trace.x):
            trace.x = [wrap_label(str(x).replace("<br>", " "), PROJECTOR_HEADING_WIDTH) for x in trace.x]
    big.update_traces(textfont=dict(size=18), selector=dict(type="scatter"))
    big.update_traces(textfont=dict(size=18), selector=dict(type="bar"))
    for annotation in big.layout.annotations:
        annotation.font.size = max(int((annotation.font.size or 14) * 1.3), 15)
    if any(trace.type == "heatmap" for trace in big.data):  # headings a little smaller than the cells' numbers
        big.update_xaxes(tickfont=dict(size=16))
    _heading_room(big)
    legend_room(big)
    place_scatter_labels(big)
    place_source(big)
    return place_map_labels(big)  # last: the margins are set


# Column headings on a projected heatmap are wrapped at this many characters (18 px type).
PROJECTOR_HEADING_WIDTH = 11


def annotations_without_source(fig: go.Figure) -> tuple[list, int]:
    """A chart's annotations for a slide, which shows the source line itself: every one but the source line, the
    map's boundary attribution once and directly under the chart; and the bottom margin they need in pixels."""
    kept = [a for a in fig.layout.annotations if not _plain_label(a.text).startswith("Source:")]
    attribution = [a for a in kept if a.text == BOUNDARY_ATTRIBUTION][:1]
    for note in attribution:  # the OS/ONS licence asks for it wherever the boundaries are shown
        note.update(yshift=0)
    return [a for a in kept if a.text != BOUNDARY_ATTRIBUTION] + attribution, 50 if attribution else 30


def _plain_label(label: object) -> str:
    return " ".join(str(label).replace("<br>", " ").split())


def fit_to_box(fig: go.Figure, width: int, height: int, font: int = 18, min_font: int = 13) -> go.Figure:
    """A copy of a chart laid out for a box `width` x `height` CSS px (a slide's chart box, presentation mode).
    A heatmap: column headings re-wrapped to their column's width (they wrap, never overlap), type no larger than
    the rows leave room for, and the top margin as tall as the headings. A map's or a scatter plot's names placed
    again for the box, a scatter plot's axis title wrapped to its height; a table's type as large as its rows
    leave room for. Other charts are returned as they are."""
    if any(trace.type == "scattergeo" and trace.meta == MAP_NAMES for trace in fig.data):
        return place_map_labels(go.Figure(fig), width)
    if any(trace.type == "scatter" and trace.meta == PLACED_NAMES for trace in fig.data):
        return _fit_scatter(go.Figure(fig), height)
    if any(trace.type == "table" for trace in fig.data):
        return _fit_table(go.Figure(fig), width, height, font, min_font)
    if not any(trace.type == "heatmap" for trace in fig.data):
        return fig
    fitted = go.Figure(fig)
    heat = [trace for trace in fitted.data if trace.type == "heatmap"]
    columns = [str(c) for c in heat[0].x]
    headings = [_plain_label(r) for r in heat[0].y]
    plot_rows = max(len(headings), 1)
    longest = max((len(w) for c in columns for w in _plain_label(c).split()), default=1)
    # Larger type first; at each size, row headings on longer lines first (fewer lines, less height).
    colour_bar = 120 if any(t.showscale is not False for t in heat[:1]) else 0
    candidates = []
    for size, row_width in [(s, w) for s in range(font, min_font - 1, -1) for w in (ROW_LABEL_WIDTH, 24, 18)]:
        rows = [wrap_label(r, row_width) for r in headings]
        row_lines = max((r.count("<br>") + 1 for r in rows), default=1)
        row_chars = max((len(line) for r in rows for line in r.split("<br>")), default=1)
        plot_width = width - row_chars * size * 0.55 - 50 - colour_bar  # row headings, axis title, colour bar
        column_px = max(plot_width / max(len(columns), 1), 40)
        chars = max(int(column_px / (size * 0.58)), longest)
        wrapped = [wrap_label(_plain_label(c), chars) for c in columns]
        lines = max((w.count("<br>") + 1 for w in wrapped), default=1)
        header = lines * size * 1.3 + 24
        row_px = (height - header - 30) / plot_rows
        columns_fit, rows_fit = longest * size * 0.58 <= column_px, row_px >= row_lines * size * 1.25
        candidates.append(
            (
                not (columns_fit and rows_fit),
                not columns_fit,
                row_lines * size * 1.25 - row_px,
                -size,
                size,
                rows,
                wrapped,
                header,
            )
        )
    # the largest type at which headings neither overlap nor crowd the rows; failing that, the least crowded
    *_, size, rows, wrapped, header = min(candidates, key=lambda c: c[:4])
    for trace in fitted.data:
        if trace.type == "heatmap":
            trace.x, trace.y = wrapped, rows
            trace.textfont.size = size + 1
    fitted.update_xaxes(tickfont=dict(size=size))
    # every row named: plotly leaves out category labels it thinks crowded
    fitted.update_yaxes(
        tickfont=dict(size=size), title_font=dict(size=size), tickmode="array", tickvals=rows, ticktext=rows
    )
    title_room = 60 if fitted.layout.title.text else 0
    fitted.update_layout(height=height, margin=dict(t=int(header) + title_room, b=30))
    fitted.update_traces(
        colorbar=dict(tickfont=dict(size=size), title=dict(font=dict(size=size))), selector=dict(type="heatmap")
    )
    return fitted


def _fit_scatter(fig: go.Figure, height: int) -> go.Figure:
    """The y axis's title wrapped to the plot's height (it is written sideways), and the names placed again."""
    margin = fig.layout.margin
    size = fig.layout.yaxis.title.font.size or fig.layout.font.size or FONT["size"]
    plot = height - (margin.t or 0) - (margin.b or 0)
    title = _plain_label(fig.layout.yaxis.title.text or "")
    fig.update_yaxes(title_text=wrap_label(title, max(12, int(plot / (size * 0.58)))))
    return place_scatter_labels(fig)


def _fit_table(fig: go.Figure, width: int, height: int, font: int, min_font: int) -> go.Figure:
    """A table's type as large as lets every row, wrapped in its column, fit the height (plotly would otherwise
    scroll a table inside itself, and a picture of it cuts the last rows off)."""
    table = next(trace for trace in fig.data if trace.type == "table")
    columns = [[str(v) for v in column] for column in table.cells.values]
    headers = [str(h) for h in table.header.values]
    room = height - (fig.layout.margin.t or 0) - (fig.layout.margin.b or 0)
    for size in range(font, min_font - 1, -1):
        chars = max(6, int((width - 20) / max(len(columns), 1) / (size * 0.55)) - 2)

        def lines(text: str) -> int:
            return max(1, len(wrap_label(text, chars).split("<br>")))

        rows = [max(lines(column[n]) for column in columns) for n in range(len(columns[0]) if columns else 0)]
        row_heights = [int(n * size * LINE_HEIGHT + 10) for n in rows]
        header = int(max((lines(h) for h in headers), default=1) * size * LINE_HEIGHT + 12)
        if header + sum(row_heights) <= room:
            break
    table.cells.font.size, table.header.font.size = size, size + 1
    table.cells.height, table.header.height = int(size * LINE_HEIGHT + 10), header
    return fig


def screen_figure(fig: go.Figure) -> go.Figure:
    """The figure for the screen, where the viewer's light or dark theme colours it: a copy without the white
    background and the fixed dark text that image downloads and board packs keep. Cell colours, the orange of thin
    and empty cells and the data colours stay as they are.

    Made on the figure's JSON and not validated again: `fig` was validated when it was built, and validating the
    copy (plotly checks every property of its template too) took 15-80 ms against 2-10 ms, on every first view
    of a chart. tests/unit/test_figure_shortcuts.py checks it against plotly's own validated updates."""
    spec = fig.to_dict()  # a deep copy
    layout = spec.setdefault("layout", {})
    layout["paper_bgcolor"] = layout["plot_bgcolor"] = "rgba(0,0,0,0)"
    _drop(layout, "font", "color")
    _drop(layout, "title", "font", "color")
    for name, axis in layout.items():
        if name.startswith(("xaxis", "yaxis")) and isinstance(axis, dict):
            _drop(axis, "gridcolor")
            _drop(axis, "tickfont", "color")
            _drop(axis, "title", "font", "color")
    for annotation in layout.get("annotations", ()):
        if annotation.get("font", {}).get("color") in (MUTED, FONT["color"]):
            _drop(annotation, "font", "color")
    return go.Figure(spec, _validate=False)


def copy_figure(fig: go.Figure) -> go.Figure:
    """A copy of a figure to add to (a click layer, an outline), without validating again what was validated when
    it was built (a validated copy took 8-15 ms, this one 1-2)."""
    return go.Figure(fig.to_dict(), _validate=False)


def _drop(properties: dict, *path: str) -> None:
    """Remove the property at path (as setting it to None does in plotly), and any container left empty by it."""
    if len(path) == 1:
        properties.pop(path[0], None)
        return
    inner = properties.get(path[0])
    if isinstance(inner, dict):
        _drop(inner, *path[1:])
        if not inner:
            del properties[path[0]]
