"""A table drawn as a chart, for slides whose content is a list."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go

from strategy.charts.common import _frame


def table_figure(table: pd.DataFrame, title: str, source: str) -> go.Figure:
    """A table drawn as a chart, for slides whose content is a list (the native table sits beside it)."""
    shown = table.astype(object).where(table.notna(), "")
    for column in table.columns:  # dates as dates: "2024-05-31", not "2024-05-31 00:00:00"
        if pd.api.types.is_datetime64_any_dtype(table[column]):
            shown[column] = [v.date().isoformat() if v != "" else "" for v in shown[column]]
    cells = [shown[c].astype(str).tolist() for c in shown.columns]
    headers = [str(c).replace("_", " ").capitalize() for c in shown.columns]
    # Plotly wraps a long cell onto more lines and the row grows: the figure is made tall enough for the rows as
    # they will be drawn on the narrowest image (a 1200 px download), so the last rows are not cut off.
    column_chars = max(8.0, (1200 - 20) / max(len(cells), 1) / (0.55 * 13) - 2)
    lines = [max([1] + [-(-len(column[n]) // int(column_chars)) for column in cells]) for n in range(len(shown))]
    header_lines = max([1] + [-(-len(h) // int(column_chars)) for h in headers])
    rows_height = sum(max(28, 8 + 17 * n) for n in lines) + max(28, 8 + 18 * header_lines)
    fig = go.Figure(
        go.Table(
            header=dict(values=headers, fill_color="#deebf7", align="left", font=dict(size=14, color="#08306b")),
            cells=dict(
                values=cells, align="left", height=28, font=dict(size=13), fill_color="white", line_color="#dddddd"
            ),
        )
    )
    return _frame(fig, title, source, max(320, 150 + rows_height))
