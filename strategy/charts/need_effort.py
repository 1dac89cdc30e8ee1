"""Need (inactive adults) against effort per head, one point per place."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from strategy.charts.common import HIGHLIGHT, MUTED, OKABE_ITO, _frame
from strategy.charts.labels import PLACED_NAMES, place_scatter_labels
from strategy.charts.maps import _padded


def need_effort_figure(table: pd.DataFrame, effort: str, title: str, source: str) -> go.Figure:
    """Need (inactive adults) against effort per head; high-need, low-effort places stand out in colour and label."""
    effort_label = {
        "investment_per_head": "Investment per head (£)",
        "activities_per_100k": "Activities per 100,000 people",
    }[effort]
    fig = go.Figure()
    # the flagged places first, so their names are placed first and are the last to be left off
    for flagged, colour, name in ((True, HIGHLIGHT, "High need, low effort"), (False, OKABE_ITO[4], "Other places")):
        part = table[table.high_need_low_effort == flagged]
        fig.add_trace(
            go.Scatter(
                x=list(part.inactive_pct),
                y=list(part[effort]),
                mode="markers+text",
                name=name,
                hovertext=list(part.place_name),
                meta=PLACED_NAMES,
                marker=dict(
                    size=14, color=colour, symbol="diamond" if flagged else "circle", line=dict(width=1, color="white")
                ),
                hovertemplate="%{hovertext}<br>Inactive adults: %{x:.1f}%<br>"
                + effort_label
                + ": %{y:,.1f}<extra></extra>",
            )
        )
    typical = (
        (table.typical_inactive_pct.iloc[0], table[f"typical_{effort}"].iloc[0])
        if len(table) and "typical_inactive_pct" in table
        else (table.inactive_pct.median(), table[effort].median())
        if len(table)
        else None
    )
    if typical is not None:  # the partnership-wide yardstick (analysis.need_vs_effort), named in the legend
        fig.add_vline(x=typical[0], line=dict(color=MUTED, dash="dot"))
        fig.add_hline(y=typical[1], line=dict(color=MUTED, dash="dot"))
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                line=dict(color=MUTED, dash="dot"),
                name="Typical: the middle of all the partnership's places",
                hoverinfo="skip",
            )
        )
    x_range = _padded(table.inactive_pct, 0.08) if len(table) else [0, 1]
    top = float(np.nanmax(table[effort])) if len(table) and table[effort].notna().any() else 1.0
    fig.update_xaxes(range=x_range)
    fig.update_yaxes(range=[0, (top or 1) * 1.15])
    fig.update_xaxes(title="Adults inactive (%, latest Active Lives) — more need →", gridcolor="#eeeeee")
    fig.update_yaxes(title=effort_label + " — more effort →", gridcolor="#eeeeee")
    fig.update_layout(legend=dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right"))
    _frame(fig, title, source, 520)
    return place_scatter_labels(fig)
