"""The answers every shared view asks for, computed into the pages' caches when the server starts, so the first
people in are not the ones who wait."""

from __future__ import annotations

from strategy import analysis, periods
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.indicators import trends
from strategy.ui.data import cached_answer, cached_table, data_version, database_file

# --- Shared answers, warmed when the server starts -------------------------------------------------------------
# The questions every page asks of a view (Overview, Alignment, Coverage and gaps, Places), by the arguments the
# pages ask them with, so that the cache entries made here are the ones the pages look up.
_WARMED_QUESTIONS = (
    (analysis.headline_totals,),
    (analysis.heatmap, "aim", "way"),
    (analysis.heatmap, "place", "aim"),
    (analysis.gaps,),
    (analysis.need_vs_effort,),
)


def shared_views(framework) -> list[Filters]:
    """The views a room of people shares: the unfiltered one and each county and place on its own."""
    return [Filters()] + [Filters(places=(place.code,)) for place in (*framework.counties(), *framework.local_places())]


def place_and_aim_views(framework) -> list[Filters]:
    """Each place with each aim on its own: the narrowed views people open most after the shared ones (a place's
    link with one aim chosen). Warmed after the shared views: unwarmed, each cost its first visitor over a second
    of the server's CPU across the five dashboard pages."""
    return [
        Filters(places=(place.code,), aims=(aim.code,)) for place in framework.local_places() for aim in framework.aims
    ]


def warm_shared_answers() -> tuple[int, float]:
    """Compute, into the caches the pages read, the answers of every shared view (shared_views), then of each place
    with each aim (place_and_aim_views): the headline totals, the heatmaps, the gaps, need against effort,
    Alignment's first cell, and the answers every page asks whatever its filters (coverage, partner names, headline
    indicators, the indicator catalogue, each indicator's assessment). Run once when the server starts, so the first
    people in are not the ones who wait. (answers computed, seconds)."""
    import time

    started = time.perf_counter()
    database, version, today, framework = database_file(), data_version(), periods.today(), load_framework()
    count = 0
    for question in (
        analysis.data_coverage,
        analysis.partner_names,
        trends.headline_indicators_by_place,
        trends.indicator_catalogue,
    ):
        cached_answer(database, version, today, question, Filters())
        count += 1
    catalogue = cached_answer(database, version, today, trends.indicator_catalogue, Filters())
    for indicator_id in catalogue.indicator_id:  # Trends, any view
        cached_answer(database, version, today, trends.assess_indicator, Filters(), indicator_id)
        count += 1
    for filters in (*shared_views(framework), *place_and_aim_views(framework)):
        for question, *args in _WARMED_QUESTIONS:
            cached_answer(database, version, today, question, filters, *args)
            count += 1
        row = analysis.dimension_codes(framework, "aim", filters)[0][0]
        column = analysis.dimension_codes(framework, "way", filters)[0][0]
        cached_table(database, version, today, analysis.activities_in_cell, filters, "aim", row, "way", column)
        count += 1
    return count, time.perf_counter() - started
