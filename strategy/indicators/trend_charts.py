"""The indicator trend chart: a line per place with England as benchmark, interval bands, and the partnership's
activity on the same time axis. Pure: DataFrames in, a plotly Figure out."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from strategy.charts.common import FONT, OKABE_ITO, _frame
from strategy.indicators.statistics import COMPARISON_SOURCE_WORDS, sorted_periods

ENGLAND_COLOUR = "#000000"
# Comparison with England: colour-blind safe (blue / pale / orange, as Fingertips' accessible palette), always
# shown with the word as well.
COMPARISON_COLOURS = {
    "better": "#0072B2",
    "similar": "#F0E442",
    "worse": "#D55E00",
    "higher": "#56B4E9",
    "lower": "#CC79A7",
    "not compared": "#FFFFFF",
}
COMPARISON_TEXT = {"better": "white", "worse": "white"}
PLACE_COLOURS = [c for c in OKABE_ITO if c not in ("#000000", "#F0E442")]
ACTIVITY_COLOUR = "#9fb7cc"
NOT_FROM_ZERO = "<br>(axis does not start at 0)"


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


def trend_figure(
    series: pd.DataFrame,
    timeline: pd.DataFrame,
    title: str,
    source: str,
    unit: str | None,
    benchmark_code: str,
    activity_label: str,
    period_note: str = "",
) -> go.Figure:
    """Indicator lines per place (England black, dashed) with 95% bands where intervals exist; below, bars of
    activities started per period. Missing values are gaps, never zeros."""
    periods = sorted_periods(list(series.period) + list(timeline.period))
    fig = make_subplots(rows=2, cols=1, shared_xaxes=True, row_heights=[0.72, 0.28], vertical_spacing=0.08)
    places = list(dict.fromkeys(series.place_code))
    ordered = [p for p in places if p != benchmark_code] + ([benchmark_code] if benchmark_code in places else [])
    for index, code in enumerate(ordered):
        part = series[series.place_code == code].set_index("period").reindex(periods)
        name = series.loc[series.place_code == code, "place_name"].iloc[0]
        is_england = code == benchmark_code
        colour = ENGLAND_COLOUR if is_england else PLACE_COLOURS[index % len(PLACE_COLOURS)]
        has_band = part.lower_ci.notna() & part.upper_ci.notna()
        if has_band.any():
            fig.add_trace(
                go.Scatter(
                    x=periods,
                    y=part.upper_ci.astype(float),
                    mode="lines",
                    line=dict(width=0),
                    hoverinfo="skip",
                    showlegend=False,
                    legendgroup=code,
                ),
                row=1,
                col=1,
            )
            fig.add_trace(
                go.Scatter(
                    x=periods,
                    y=part.lower_ci.astype(float),
                    mode="lines",
                    line=dict(width=0),
                    fill="tonexty",
                    fillcolor=_rgba(colour, 0.15),
                    hoverinfo="skip",
                    name=f"{name} 95% interval",
                    showlegend=False,
                    legendgroup=code,
                ),
                row=1,
                col=1,
            )
        comparison = part.compared_to_england.fillna("not compared") if "compared_to_england" in part else None
        # The hover names where each verdict came from ("Fingertips' published comparison" or our rule).
        said = (
            comparison
            if comparison is None or "comparison_source" not in part
            else pd.Series(
                [
                    c + (f" ({COMPARISON_SOURCE_WORDS[s]})" if s in COMPARISON_SOURCE_WORDS else "")
                    for c, s in zip(comparison, part.comparison_source)
                ],
                index=comparison.index,
            )
        )
        marker_fill = (
            [COMPARISON_COLOURS.get(c, "#FFFFFF") for c in comparison]
            if comparison is not None and not is_england
            else colour
        )
        fig.add_trace(
            go.Scatter(
                x=periods,
                y=part.value.astype(float),
                mode="lines+markers",
                name=name,
                legendgroup=code,
                connectgaps=False,
                line=dict(color=colour, width=3 if not is_england else 2.5, dash="dash" if is_england else "solid"),
                marker=dict(size=9, color=marker_fill, line=dict(color=colour, width=2)),
                customdata=list(
                    zip(
                        part.lower_ci.astype(float),
                        part.upper_ci.astype(float),
                        said if said is not None else [""] * len(periods),
                    )
                ),
                hovertemplate=f"{name}<br>%{{x}}: %{{y:.1f}}{_suffix(unit)}"
                + ("<br>95% interval %{customdata[0]:.1f} to %{customdata[1]:.1f}" if has_band.any() else "")
                + ("" if is_england else "<br>Compared with England: %{customdata[2]}")
                + "<extra></extra>",
            ),
            row=1,
            col=1,
        )
    by_period = timeline.set_index("period").reindex(periods)
    counts = by_period.activities_started
    partial = by_period.partial.eq(True) if "partial" in by_period else pd.Series(False, periods)
    # A year still running is marked, so its shorter bar is not read as a fall.
    fig.add_trace(
        go.Bar(
            x=periods,
            y=counts,
            name=activity_label,
            marker=dict(color=ACTIVITY_COLOUR, pattern=dict(shape=["/" if p else "" for p in partial])),
            text=[
                (f"{v:.0f} (partial<br>year)" if p else f"{v:.0f}") if pd.notna(v) else ""
                for v, p in zip(counts, partial)
            ],
            textposition="outside",
            constraintext="none",
            customdata=[" (partial year: still running)" if p else "" for p in partial],
            hovertemplate="%{x}%{customdata}: %{y} activities started<extra></extra>",
            cliponaxis=False,
        ),
        row=2,
        col=1,
    )
    fig.update_xaxes(type="category", categoryorder="array", categoryarray=periods, showgrid=False)
    values = pd.to_numeric(series.value, errors="coerce")
    # Plotly fits the indicator's axis to the values, so it starts above zero: the axis title says so.
    not_from_zero = bool(values.notna().any() and values.min() > 0)
    fig.update_yaxes(
        title=_axis_title(unit) + (NOT_FROM_ZERO if not_from_zero else ""), gridcolor="#eeeeee", row=1, col=1
    )
    fig.update_yaxes(title="Activities<br>started", gridcolor="#eeeeee", rangemode="tozero", row=2, col=1)
    if period_note:  # what the periods are: 'Active Lives adult years, mid-November to mid-November'
        fig.update_xaxes(title=dict(text=f"Periods: {period_note}", font=dict(size=13)), row=2, col=1)
    fig.update_layout(
        legend=dict(orientation="h", y=1.02, yanchor="bottom", x=0, xanchor="left"),
        hovermode="closest",
        bargap=0.35,
        font=FONT,
    )
    _frame(fig, title, source, 600)  # the source line goes below the axis title that names the periods
    fig.update_layout(margin=dict(t=110))
    return fig


def _suffix(unit: str | None) -> str:
    return "%" if unit == "%" else ""


def _axis_title(unit: str | None) -> str:
    return {"%": "Per cent", "score": "Score", "people": "People"}.get(unit or "", "Value")


def comparison_style(word: str) -> str:
    """CSS for a table cell holding a comparison word: its colour, with readable text."""
    background = COMPARISON_COLOURS.get(word, "#FFFFFF")
    return f"background-color: {background}; color: {COMPARISON_TEXT.get(word, '#262730')}; " + (
        "border: 1px solid #cccccc;" if word == "not compared" else ""
    )
