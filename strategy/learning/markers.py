"""Experiments as markers on indicator trend charts: which experiments to mark, and drawing them on any figure.

`add_experiment_markers` is the one function every trend chart uses (the Trends page and an experiment's own
trend), so an experiment looks the same wherever it is marked.
"""

from __future__ import annotations

import html
import re
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go

from strategy import db
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.learning.records import filter_parameters

MARKER_COLOUR = "#CC79A7"  # Okabe-Ito reddish purple: apart from the line colours trend charts use first
_PERIOD = re.compile(r"^(\d{4})/(\d{2})$")
# Active Lives years run mid-November to mid-November: '2023/24' is 16 Nov 2023 to 15 Nov 2024.
ACTIVE_LIVES_YEAR_START = (11, 16)


def experiment_markers(
    con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters, indicator_id: str | None = None
) -> pd.DataFrame:
    """(experiment_id, title, status, start_date, review_date, places, aims, indicators) to mark on trend charts.

    Narrowed by the place, aim and partner filters, and to experiments watching indicator_id when given.
    """
    return db.query(
        con, "learning_experiment_markers", indicator_id=indicator_id, **filter_parameters(framework, filters)
    )


def active_lives_period(day: date) -> tuple[str, float]:
    """The Active Lives year a day falls in ('2023/24') and how far through that year it is (0 to 1)."""
    month, first = ACTIVE_LIVES_YEAR_START
    start_year = day.year if (day.month, day.day) >= (month, first) else day.year - 1
    start = date(start_year, month, first)
    fraction = (day - start).days / (date(start_year + 1, month, first) - start).days
    return f"{start_year}/{(start_year + 1) % 100:02d}", fraction


def _axis_categories(fig: go.Figure) -> list[str] | None:
    """The x categories when the figure's x axis holds Active Lives periods ('2015/16'), else None."""
    values = [x for trace in fig.data for x in (getattr(trace, "x", None) or [])]
    if values and all(isinstance(x, str) and _PERIOD.match(x) for x in values):
        return sorted(set(values))
    return None


def add_experiment_markers(fig: go.Figure, markers: pd.DataFrame) -> go.Figure:
    """Dashed vertical lines at experiments' start dates, each labelled with its title; the figure, changed.

    On a period axis ('2015/16', ...) a start date is placed proportionally inside its Active Lives year; a
    period with no data yet is added to the axis so a recent experiment still shows. On a date axis the line
    sits on the start date. Titles are escaped (plotly reads a few HTML tags in text).
    """
    if markers is None or markers.empty:
        return fig
    categories = _axis_categories(fig)
    if categories is not None:
        periods = {active_lives_period(pd.Timestamp(d).date())[0] for d in markers.start_date}
        categories = sorted(set(categories) | periods)
        fig.update_xaxes(
            type="category", categoryorder="array", categoryarray=categories, range=[-0.5, len(categories) - 0.5]
        )
    for number, row in enumerate(markers.sort_values("start_date").itertuples()):
        start = pd.Timestamp(row.start_date).date()
        if categories is not None:
            period, fraction = active_lives_period(start)
            x = categories.index(period) - 0.5 + fraction
        else:
            x = start.isoformat()
        title = html.escape(str(row.title), quote=False)
        label = title if len(title) <= 38 else title[:36] + "…"
        # Labels in the right half of a period axis read leftwards so they stay inside the plot.
        leftwards = categories is not None and x > (len(categories) - 1) / 2
        fig.add_shape(
            type="line",
            x0=x,
            x1=x,
            xref="x",
            y0=0,
            y1=1,
            yref="paper",
            line=dict(color=MARKER_COLOUR, width=2, dash="dash"),
        )
        fig.add_annotation(
            x=x,
            xref="x",
            y=1 - 0.09 * (number % 3),
            yref="paper",
            text=f"▲ {label}",
            showarrow=False,
            xanchor="right" if leftwards else "left",
            yanchor="top",
            xshift=-3 if leftwards else 3,
            align="left",
            font=dict(size=12, color=MARKER_COLOUR),
            bgcolor="rgba(255,255,255,0.85)",
            hovertext=f"Experiment from {start:%d %b %Y}: {title}",
        )
    return fig


def indicator_trend(
    con: duckdb.DuckDBPyConnection, indicator_id: str, place_codes: list[str], benchmark: str
) -> pd.DataFrame:
    """(period, place_code, place_name, value, lower_ci, upper_ci) of one indicator for places and the benchmark."""
    return db.query(
        con, "learning_indicator_trend", indicator_id=indicator_id, place_codes=list(place_codes) + [benchmark]
    )


def indicator_choices(con: duckdb.DuckDBPyConnection) -> pd.Series:
    """Indicator names by id, for 'indicators to watch' pickers."""
    found = db.query(con, "learning_indicator_choices")
    return pd.Series(found.name.to_numpy(), index=found.indicator_id.to_numpy())


def trend_summary(trend: pd.DataFrame, experiment: pd.Series) -> str:
    """One sentence per place: the value in the year the experiment started (or the last before) and the latest."""
    start_period = active_lives_period(pd.Timestamp(experiment["start_date"]).date())[0]
    sentences = []
    for name, part in trend.dropna(subset=["value"]).groupby("place_name", sort=False):
        before = part[part.period <= start_period]
        latest = part.iloc[-1]
        if len(before) and before.iloc[-1].period != latest.period:
            sentences.append(
                f"{name} {before.iloc[-1].value:.1f} in {before.iloc[-1].period}, {latest.value:.1f} in {latest.period}"
            )
        else:
            sentences.append(f"{name} {latest.value:.1f} in {latest.period}")
    unit = trend.unit.iloc[0] if len(trend) else ""
    return (
        (
            f"{trend.indicator_name.iloc[0]} ({unit}): " + "; ".join(sentences) + ". The experiment started in "
            f"{start_period} (Active Lives years run mid-November to mid-November). Survey figures move slowly and "
            "reflect many things: read them as context, not as "
            "the experiment's effect."
        )
        if sentences
        else "No values to show."
    )
