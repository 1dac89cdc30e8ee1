"""A trend chart's words: the note on how places were compared, and the one-sentence summary under the chart."""

from __future__ import annotations

import pandas as pd

from strategy.filters import Filters
from strategy.framework import Framework
from strategy.indicators.statistics import (
    CI_NONE,
    COMPARISON_PUBLISHED,
)
from strategy.indicators.trends.activity import period_limit
from strategy.indicators.trends.assessment import comparison_phrase, latest_period


def comparison_note(values: pd.DataFrame) -> str | None:
    """A sentence for the page when values shown have no interval: which comparison is shown for them (Fingertips'
    published one, or none), and why the recent trend cannot be calculated. None when every value has one."""
    with_values = values[values.value.notna()] if len(values) else values
    without = with_values[with_values.ci_method == CI_NONE] if len(with_values) else with_values
    if without.empty:
        return None
    local = without[without.place_level != "country"] if "place_level" in without else without
    published = int((local.comparison_source == COMPARISON_PUBLISHED).sum())
    unjudged = len(local) - published
    intro = (
        "Intervals are not published in this extract"
        if len(without) == len(with_values)
        else f"{len(without)} of the {len(with_values)} values shown have no interval"
    )
    text = intro + ", and there are no counts and denominators to compute them from"
    if published and not unjudged:
        return text + (
            ". The comparison with England shown is Fingertips' published comparison (OHID's own verdict, "
            "decided from the intervals it holds); the recent trend needs the intervals, so it is "
            "'cannot be calculated'."
        )
    if published:
        return text + (
            f". For {published} of them the comparison shown is Fingertips' published comparison; the "
            f"other {unjudged} have no published verdict, so they are 'not compared'. The recent trend "
            "needs the intervals, so it is 'cannot be calculated'."
        )
    return text + (
        "; comparison with England and the recent trend need them, so they are shown as 'not compared' "
        "and 'cannot be calculated'."
    )


def trend_summary(
    assessed: pd.DataFrame,
    place_codes: tuple[str, ...],
    timeline: pd.DataFrame,
    framework: Framework,
    filters: Filters = Filters(),
) -> str:
    """One plain-English sentence on the trend chart: the latest value of each chosen place against England, and
    the activity started in the same years."""
    period = latest_period(assessed)
    if period is None:
        return "No values of this indicator yet."
    unit = "%" if assessed.unit.iloc[0] == "%" else ""
    latest = assessed[assessed.period == period].set_index("place_code")
    parts = []
    for code in place_codes:
        if code in latest.index and pd.notna(latest.loc[code, "value"]):
            row = latest.loc[code]
            parts.append(
                f"{row.place_name} {row.value:.1f}{unit}, "
                f"{comparison_phrase(row.compared_to_england, row.comparison_source)}, recent trend "
                f"{row.recent_trend}"
            )
        else:
            parts.append(f"{framework.place(code).name} has no value for {period}")
    england = latest.value.get(framework.benchmark)
    text = f"In {period}, " + ("; ".join(parts) + ". " if parts else "")
    text += f"England {england:.1f}{unit}." if england is not None and pd.notna(england) else "England has no value."
    started = int(timeline.activities_started.sum()) if len(timeline) else 0
    return text + (
        f" Partners started {started:,} activities for this aim in the places shown over the years "
        f"charted{period_limit(filters)}."
    )
