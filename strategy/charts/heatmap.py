"""The heatmap of one dimension against another (aims x ways, places x aims), and its parts when it is too tall for
one slide."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from strategy.analysis.common import DIMENSION_NAMES, MEASURES, THIN_CELL
from strategy.charts.common import EMPTY_CELL, HIGHLIGHT, ROW_LABEL_WIDTH, SEQUENTIAL, _frame, _heading_room, wrap_label


def heatmap_figure(cells: pd.DataFrame, measure: str, title: str, source: str, compact: bool = False) -> go.Figure:
    """A heatmap of one measure with the number printed in every cell; empty cells tinted and marked 'none'.

    compact: columns headed by their codes (W1...), for narrow spaces; the hover still names them.
    """
    rows = list(dict.fromkeys(cells.row_label))
    columns = list(dict.fromkeys(cells.column_label))
    matrix = cells.pivot(index="row_label", columns="column_label", values=measure).loc[rows, columns]
    counts = cells.pivot(index="row_label", columns="column_label", values="activities").loc[rows, columns]
    values = matrix.to_numpy(dtype=float)
    is_empty = counts.to_numpy() == 0
    is_thin = (counts.to_numpy() > 0) & (counts.to_numpy() < THIN_CELL)
    text = [[_cell_text(v, c, measure) for v, c in zip(vr, cr)] for vr, cr in zip(values, counts.to_numpy())]
    column_ticks = list(dict.fromkeys(cells.column_code)) if compact else [wrap_label(c) for c in columns]
    row_ticks = [wrap_label(r, ROW_LABEL_WIDTH) for r in rows]  # the strategy's headings can be long
    # The strategy's full wording of each row and column, for the hover text beside the short labels.
    row_words = dict(zip(cells.row_label, cells.row_wording if "row_wording" in cells else cells.row_label))
    column_words = dict(
        zip(cells.column_label, cells.column_wording if "column_wording" in cells else cells.column_label)
    )
    wording = [[f"{wrap_label(row_words[r], 60)}<br>{wrap_label(column_words[c], 60)}" for c in columns] for r in rows]
    rows = row_ticks
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            z=np.where(is_empty, np.nan, values),
            x=column_ticks,
            y=rows,
            text=np.where(is_empty | is_thin, "", text),
            texttemplate="%{text}",
            customdata=wording,
            colorscale=SEQUENTIAL,
            zmin=0,
            xgap=2,
            ygap=2,
            textfont=dict(size=14),
            colorbar=dict(title=dict(text=MEASURES[measure], side="right"), thickness=14),
            hovertemplate="%{customdata}<br>" + MEASURES[measure] + ": %{text}<extra></extra>",
        )
    )
    if is_thin.any():  # thin cells keep their colour but their number turns the accent colour and bold
        fig.add_trace(
            go.Heatmap(
                z=np.where(is_thin, values, np.nan),
                x=column_ticks,
                y=rows,
                text=np.where(is_thin, text, ""),
                texttemplate="<b>%{text}</b>",
                colorscale=SEQUENTIAL,
                zmin=0,
                zmax=np.nanmax(values) or 1,
                showscale=False,
                xgap=2,
                ygap=2,
                textfont=dict(size=14, color=HIGHLIGHT),
                customdata=wording,
                hovertemplate="%{customdata}<br>" + MEASURES[measure] + ": %{text} (thin)<extra></extra>",
            )
        )
    if is_empty.any():  # a second layer so empty cells are tinted, labelled and never read as "low"
        fig.add_trace(
            go.Heatmap(
                z=np.where(is_empty, 1.0, np.nan),
                x=column_ticks,
                y=rows,
                text=np.where(is_empty, "none", ""),
                texttemplate="%{text}",
                colorscale=[[0, EMPTY_CELL], [1, EMPTY_CELL]],
                showscale=False,
                xgap=2,
                ygap=2,
                textfont=dict(size=14, color=HIGHLIGHT),
                customdata=wording,
                hovertemplate="%{customdata}<br>no activity<extra></extra>",
            )
        )
    fig.update_yaxes(autorange="reversed", title=DIMENSION_NAMES[cells.attrs.get("rows", "aim")], showgrid=False)
    fig.update_xaxes(side="top", title=None, showgrid=False, tickangle=0)
    row_height = 54 if any("<br>" in r for r in rows) else 40  # room for headings wrapped onto two lines
    _frame(fig, title, source, max(340, 120 + row_height * len(rows)), source_width=50 if compact else 95)
    return _heading_room(fig)


def _cell_text(value: float, count: int, measure: str) -> str:
    if count == 0:
        return "none"
    if measure == "investment":
        return f"£{value / 1000:,.0f}k" if value >= 1000 else f"£{value:,.0f}"
    return f"{value:,.0f}"


def heatmap_parts(fig: go.Figure, most_rows: int) -> list[go.Figure]:
    """A heatmap with more than `most_rows` rows as several figures of balanced parts (rows in order), every
    part on the whole heatmap's colour scale; any other chart, or a short heatmap, is one part."""
    heat = [trace for trace in fig.data if trace.type == "heatmap"]
    count = len(heat[0].y) if heat else 0
    if count <= most_rows:
        return [fig]
    parts = -(-count // most_rows)
    size = -(-count // parts)
    scales = {}
    for n, trace in enumerate(fig.data):
        if trace.type == "heatmap":
            z = np.array(trace.z, dtype=float)
            scales[n] = (
                trace.zmin if trace.zmin is not None else np.nanmin(z),
                trace.zmax if trace.zmax is not None else np.nanmax(z),
            )
    found = []
    for start in range(0, count, size):
        part = go.Figure(fig)
        for n, trace in enumerate(part.data):
            if trace.type != "heatmap":
                continue
            for name in ("z", "y", "text", "customdata"):
                values = getattr(trace, name)
                if values is not None and len(values) == count:
                    setattr(trace, name, list(values)[start : start + size])
            low, high = scales[n]
            trace.zmin, trace.zmax, trace.zauto = float(np.nan_to_num(low)), float(np.nan_to_num(high, nan=1.0)), False
        found.append(part)
    return found
