"""Indicator trends as DataFrames: values with intervals, comparison with England, recent trend, activity beside them.

The page, the command line and the Overview tiles all read these functions, so they show the same numbers: each
indicator assessed (assessment), the partners' activity beside it (activity), the headline tiles (headline) and a
chart's words (summary). What the pages and the command line call is named here, with the two names of
strategy.indicators.statistics the pages read through it (COMPARISON_SOURCE_WORDS, sorted_periods).
"""

from strategy.indicators.statistics import COMPARISON_SOURCE_WORDS, sorted_periods
from strategy.indicators.trends.activity import activity_bars_label, activity_timeline, period_limit
from strategy.indicators.trends.assessment import (
    ASSESSMENT_COLUMNS,
    CI_METHOD_WORDS,
    WILSON_TOLERANCE,
    YEAR_KINDS,
    assess_indicator,
    comparison_phrase,
    indicator_assessments,
    indicator_catalogue,
    indicator_comparisons,
    indicator_definition,
    latest_period,
    latest_summary,
    period_end,
    period_kind,
    period_label,
)
from strategy.indicators.trends.headline import headline_indicators, headline_indicators_by_place, headline_place
from strategy.indicators.trends.summary import comparison_note, trend_summary

__all__ = [
    "ASSESSMENT_COLUMNS",
    "CI_METHOD_WORDS",
    "COMPARISON_SOURCE_WORDS",
    "WILSON_TOLERANCE",
    "YEAR_KINDS",
    "activity_bars_label",
    "activity_timeline",
    "assess_indicator",
    "comparison_note",
    "comparison_phrase",
    "headline_indicators",
    "headline_indicators_by_place",
    "headline_place",
    "indicator_assessments",
    "indicator_catalogue",
    "indicator_comparisons",
    "indicator_definition",
    "latest_period",
    "latest_summary",
    "period_end",
    "period_kind",
    "period_label",
    "period_limit",
    "sorted_periods",
    "trend_summary",
]
