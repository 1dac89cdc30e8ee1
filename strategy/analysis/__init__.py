"""The questions the dashboard answers, as DataFrames: totals, heatmaps, gaps, need against effort.

One module per family of questions: totals (the headline), heatmaps (and one cell's activities), places (need
against effort, a place's profile), gap_list (missing and thin activity); the dimensions, measures and the rules in
words are in common. Every question is named here, so pages ask `analysis.gaps` and a reader can follow it."""

from strategy.analysis.common import (
    ATTENDANCES_NOTE,
    DIMENSION_NAMES,
    DIMENSIONS,
    MEASURES,
    THIN_CELL,
    THIN_RULE,
    YARDSTICK_COLUMNS,
    YARDSTICK_NOTE,
)
from strategy.analysis.gap_list import (
    gap_kinds,
    gap_period,
    gap_period_label,
    gap_period_note,
    gap_yardstick,
    gap_year,
    gaps,
    year_filters,
)
from strategy.analysis.heatmaps import (
    CELL_ROWS_SHOWN,
    CELL_TOTAL_COLUMNS,
    activities_in_cell,
    aim_balance_summary,
    cell_total,
    dimension_codes,
    format_measure,
    heatmap,
    heatmap_list,
    heatmap_matrix,
    heatmap_summary,
)
from strategy.analysis.places import (
    PLACE_SUMMARY_COLUMNS,
    benchmark_value,
    high_need_low_effort,
    need_by_place,
    need_vs_effort,
    place_summary,
    place_table,
)
from strategy.analysis.totals import data_coverage, headline_totals, investment_words, partner_names, places_in_view

__all__ = [
    "ATTENDANCES_NOTE",
    "CELL_ROWS_SHOWN",
    "CELL_TOTAL_COLUMNS",
    "DIMENSIONS",
    "DIMENSION_NAMES",
    "MEASURES",
    "PLACE_SUMMARY_COLUMNS",
    "THIN_CELL",
    "THIN_RULE",
    "YARDSTICK_COLUMNS",
    "YARDSTICK_NOTE",
    "activities_in_cell",
    "aim_balance_summary",
    "benchmark_value",
    "cell_total",
    "data_coverage",
    "dimension_codes",
    "format_measure",
    "gap_kinds",
    "gap_period",
    "gap_period_label",
    "gap_period_note",
    "gap_yardstick",
    "gap_year",
    "gaps",
    "headline_totals",
    "heatmap",
    "heatmap_list",
    "heatmap_matrix",
    "heatmap_summary",
    "high_need_low_effort",
    "investment_words",
    "need_by_place",
    "need_vs_effort",
    "partner_names",
    "place_summary",
    "place_table",
    "places_in_view",
    "year_filters",
]
