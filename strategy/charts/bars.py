"""Horizontal bar charts (each name above its bar) and the tiles of headline totals."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from strategy.charts.common import FONT, HIGHLIGHT, LINE_HEIGHT, OKABE_ITO, SOURCE_NOTE, _frame, wrap_label

# Bar charts: each name sits above its bar, starting at the plot's left edge, wrapped at BAR_NAME_WIDTH characters;
# a bar is BAR_THICKNESS of its row, the rest of the row is the name's. The bars get the chart's whole width, so a
# half-width chart (the place profile, about 400 px wide in a 1280 px window) keeps its names, numbers and source.
BAR_NAME_WIDTH = 38
BAR_THICKNESS = 0.5
BAR_NAME = "bar name"
BAR_SOURCE_WIDTH = 50


def bar_figure(
    table: pd.DataFrame, x: str, y: str, title: str, source: str, x_label: str, highlight: pd.Series | None = None
) -> go.Figure:
    """Horizontal bars, largest at the top, each named above its bar; highlighted bars in the accent colour.
    The bars are drawn at rows 0, 1, ... (the top one last); their names are the trace's hovertext."""
    ordered = table.sort_values(x)
    colours = [HIGHLIGHT if highlight is not None and highlight.get(i, False) else OKABE_ITO[4] for i in ordered.index]
    names = [str(name) for name in ordered[y]]
    wrapped = [wrap_label(name, BAR_NAME_WIDTH) for name in names]
    rows = list(range(len(names)))
    fig = go.Figure(
        go.Bar(
            x=ordered[x],
            y=rows,
            orientation="h",
            width=BAR_THICKNESS,
            marker_color=colours,
            text=[f"{v:,.0f}" for v in ordered[x]],
            textposition="outside",
            cliponaxis=False,
            hovertext=names,
            hovertemplate="%{hovertext}: %{x:,.0f}<extra></extra>",
        )
    )
    for row, name in zip(rows, wrapped):
        fig.add_annotation(
            text=name,
            x=0,
            xref="x",
            xanchor="left",
            y=row + BAR_THICKNESS / 2,
            yref="y",
            yanchor="bottom",
            yshift=2,
            showarrow=False,
            align="left",
            name=BAR_NAME,
        )
    longest = float(ordered[x].max()) if len(ordered) and ordered[x].notna().any() else 0.0
    # room beyond the longest bar for its number (plotly's own range leaves none, so "91" was cut to "9")
    fig.update_xaxes(title=x_label, gridcolor="#eeeeee", range=[0, (longest or 1) * 1.15])
    fig.update_yaxes(visible=False, range=[-0.5 - BAR_THICKNESS / 2, len(rows) - 0.5], fixedrange=True)
    lines = max((name.count("<br>") + 1 for name in wrapped), default=1)
    # a row: the name's lines and the bar (BAR_THICKNESS of it), so the name never reaches the bar above
    row_px = (lines * FONT["size"] * LINE_HEIGHT + 8) / (1 - BAR_THICKNESS)
    fig = _frame(
        fig, title, source, max(300, int(60 + row_px * (len(rows) + 0.5) + 110)), source_width=BAR_SOURCE_WIDTH
    )
    for note in fig.layout.annotations:  # a clear gap between the axis title and the source line below it
        if note.name == SOURCE_NOTE:
            note.yshift = (note.yshift or 0) - 10
    fig.update_layout(margin=dict(b=(fig.layout.margin.b or 70) + 10))
    return fig


def totals_figure(figures: list[tuple[str, str]], title: str, source: str) -> go.Figure:
    """Headline numbers as large tiles (rows of three), one per (label, formatted value), for slides and images."""
    fig = go.Figure()
    per_row = 3
    rows = max(1, -(-len(figures) // per_row))
    for n, (label, value) in enumerate(figures):
        row, column = divmod(n, per_row)
        left, right = column / per_row, (column + 1) / per_row
        top, bottom = 1 - row / rows, 1 - (row + 1) / rows
        fig.add_shape(
            type="rect",
            xref="paper",
            yref="paper",
            x0=left + 0.015,
            x1=right - 0.015,
            y0=bottom + 0.03,
            y1=top - 0.03,
            line=dict(color="#c6dbef", width=2),
            fillcolor="#f7fbff",
        )
        middle = (top + bottom) / 2
        # centred on the tile whatever its column (plotly's "auto" anchor would align the outer columns' text to
        # the tile's middle by its left or right end), and the number above the label by pixels, not by a share
        # of the height, so that no slide height brings the two together
        fig.add_annotation(
            text=f"<b>{value}</b>",
            xref="paper",
            yref="paper",
            x=(left + right) / 2,
            xanchor="center",
            y=middle,
            yanchor="bottom",
            yshift=2,
            showarrow=False,
            font=dict(size=36, color="#08306b"),
        )
        fig.add_annotation(
            text=label,
            xref="paper",
            yref="paper",
            x=(left + right) / 2,
            xanchor="center",
            y=middle,
            yanchor="top",
            yshift=-6,
            showarrow=False,
            font=dict(size=19, color=FONT["color"]),
        )
    fig.update_xaxes(visible=False, range=[0, 1])
    fig.update_yaxes(visible=False, range=[0, 1])
    return _frame(fig, title, source, 200 + 160 * rows)
