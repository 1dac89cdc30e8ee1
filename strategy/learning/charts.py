"""Pure figures for the learning workspace: the partner network and an indicator's trend (with experiment markers)."""

from __future__ import annotations

import html

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from strategy.charts.common import MUTED, OKABE_ITO, _frame
from strategy.framework import Framework
from strategy.learning.markers import add_experiment_markers

# Okabe-Ito colours for the first eight sectors, then the same colours again as diamonds: twelve sectors stay
# distinguishable with every common colour-vision deficiency (colour and shape together).
SYMBOLS = ("circle", "diamond")
# Small networks name every organisation; larger ones name only the bridges, so the picture stays readable.
LABEL_ALL_UP_TO = 20
UNKNOWN_SECTOR = "#BBBBBB"


def sector_styles(framework: Framework) -> dict[str | None, tuple[str, str, str]]:
    """(colour, marker symbol, label) per sector code, in the framework's order; None for 'not known'."""
    styles = {
        s.code: (OKABE_ITO[i % len(OKABE_ITO)], SYMBOLS[(i // len(OKABE_ITO)) % 2], s.label)
        for i, s in enumerate(framework.sectors)
    }
    styles[None] = (UNKNOWN_SECTOR, "circle", "Sector not known")
    return styles


def network_figure(
    measures: pd.DataFrame,
    positions: dict[str, tuple[float, float]],
    edges: list[tuple[str, str, int]],
    framework: Framework,
    title: str,
    source: str,
) -> go.Figure:
    """Organisations as dots coloured by sector, lines for working together; bridges drawn larger and labelled."""
    fig = go.Figure()
    if edges:
        xs, ys = [], []
        for a, b, _ in edges:
            xs += [positions[a][0], positions[b][0], None]
            ys += [positions[a][1], positions[b][1], None]
        fig.add_trace(
            go.Scatter(
                x=xs, y=ys, mode="lines", line=dict(color="#c8c8c8", width=1.2), hoverinfo="skip", showlegend=False
            )
        )
    styles = sector_styles(framework)
    for code, (colour, symbol, label) in styles.items():
        part = measures[measures.sector.isna()] if code is None else measures[measures.sector == code]
        if part.empty:
            continue
        names = [html.escape(n, quote=False) for n in part.name]
        fig.add_trace(
            go.Scatter(
                x=[positions[n][0] for n in part.name],
                y=[positions[n][1] for n in part.name],
                mode="markers+text",
                name=label,
                text=[
                    n if bridge or len(measures) <= LABEL_ALL_UP_TO else "" for n, bridge in zip(names, part.is_bridge)
                ],
                textposition="top center",
                textfont=dict(size=12),
                marker=dict(
                    color=colour,
                    symbol=symbol,
                    size=np.where(part.is_bridge, 22, 13),
                    line=dict(color=np.where(part.is_bridge, "#262730", "white").tolist(), width=2),
                ),
                customdata=np.stack([names, part.links, part.sectors_linked], axis=-1),
                hovertemplate="%{customdata[0]}<br>"
                + html.escape(label, quote=False)
                + "<br>Links: %{customdata[1]}<br>Other sectors linked: %{customdata[2]}<extra></extra>",
            )
        )
    xs = [x for x, _ in positions.values()] or [0.0]
    ys = [y for _, y in positions.values()] or [0.0]
    pad_x, pad_y = 0.25 * ((max(xs) - min(xs)) or 1), 0.12 * ((max(ys) - min(ys)) or 1)
    fig.update_xaxes(visible=False, range=[min(xs) - pad_x, max(xs) + pad_x])
    fig.update_yaxes(visible=False, range=[min(ys) - pad_y, max(ys) + pad_y])
    fig.update_layout(legend=dict(title="Sector (bridges drawn larger)", orientation="v"))
    return _frame(fig, title, source, 560)


def indicator_trend_figure(
    trend: pd.DataFrame, markers: pd.DataFrame | None, title: str, source: str, benchmark_name: str = "England"
) -> go.Figure:
    """One indicator over the Active Lives years for a few places (solid) and the benchmark (dotted grey)."""
    fig = go.Figure()
    for number, (name, part) in enumerate(trend.groupby("place_name", sort=False)):
        is_benchmark = name == benchmark_name
        fig.add_trace(
            go.Scatter(
                x=list(part.period),
                y=list(part.value),
                mode="lines+markers",
                name=name,
                line=dict(
                    color=MUTED if is_benchmark else OKABE_ITO[[0, 4, 2, 5, 1][number % 5]],
                    dash="dot" if is_benchmark else "solid",
                    width=2 if is_benchmark else 3,
                ),
                hovertemplate=f"{html.escape(name, quote=False)}<br>%{{x}}: %{{y:.1f}}<extra></extra>",
            )
        )
    unit = trend.unit.iloc[0] if len(trend) else ""
    fig.update_yaxes(title=unit or None, gridcolor="#eeeeee")
    fig.update_xaxes(title=None)
    fig.update_layout(legend=dict(orientation="h", y=1.0, yanchor="bottom", x=1, xanchor="right"))
    _frame(fig, title, source, 440)
    fig.update_layout(margin=dict(t=90))
    return add_experiment_markers(fig, markers)
