"""The answers and figures every shared view asks for, computed into the pages' caches when the server starts, so
the first people in are not the ones who wait."""

from __future__ import annotations

from strategy import analysis, periods
from strategy.filters import Filters, with_changes
from strategy.framework import load_framework
from strategy.indicators import trends
from strategy.ui.data import cached_answer, cached_table, connection, data_version, database_file
from strategy.ui.page import Page

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


def warm_shared_answers() -> tuple[int, int, float]:
    """Compute, into the caches the pages read, the answers and figures of every shared view (shared_views), then of
    each place with each aim (place_and_aim_views): the answers every page asks whatever its filters (coverage,
    partner names, headline indicators, the indicator catalogue, each indicator's assessment), then for each view
    its headline totals, heatmaps, gaps, need against effort and Alignment's first cell (view_answers) and the
    figures its links open on (view_figures). Run once when the server starts, so the first people in are not the
    ones who wait. (answers computed, figures built, seconds)."""
    import time

    started = time.perf_counter()
    database, version, today, framework = database_file(), data_version(), periods.today(), load_framework()
    answers = figures = 0
    for question in (
        analysis.data_coverage,
        analysis.partner_names,
        trends.headline_indicators_by_place,
        trends.indicator_catalogue,
    ):
        cached_answer(database, version, today, question, Filters())
        answers += 1
    catalogue = cached_answer(database, version, today, trends.indicator_catalogue, Filters())
    for indicator_id in catalogue.indicator_id:  # Trends, any view
        cached_answer(database, version, today, trends.assess_indicator, Filters(), indicator_id)
        answers += 1
    coverage = cached_answer(database, version, today, analysis.data_coverage, Filters())
    for filters in (*shared_views(framework), *place_and_aim_views(framework)):
        answers += view_answers(database, version, today, framework, filters)
        figures += view_figures(Page(connection(database), framework, filters, coverage))
    return answers, figures, time.perf_counter() - started


def view_answers(database: str, version: int, today, framework, filters: Filters) -> int:
    """The answers every dashboard page asks of one view, by the arguments the pages ask them with; how many."""
    for question, *args in _WARMED_QUESTIONS:
        cached_answer(database, version, today, question, filters, *args)
    row = analysis.dimension_codes(framework, "aim", filters)[0][0]
    column = analysis.dimension_codes(framework, "way", filters)[0][0]
    cached_table(database, version, today, analysis.activities_in_cell, filters, "aim", row, "way", column)
    return len(_WARMED_QUESTIONS) + 1


def view_figures(page: Page) -> int:
    """The figures a link to the page's view opens the dashboard pages on, built by the functions the pages call,
    with the choices a page starts with, and their screen copies; how many. Building a figure (plotly validates
    every property) was most of what a view's first visitor still waited for once its answers were warm."""
    from strategy.ui import alignment, coverage, overview, places
    from strategy.ui import trends as trends_page
    from strategy.ui.heatmaps import screen_heatmap
    from strategy.ui.widgets import screen_copy

    view = alignment.view_of(page, alignment.DEFAULT_VIEW, alignment.DEFAULT_MEASURE)
    table, need_effort = coverage.need_effort_chart(page, coverage.DEFAULT_EFFORT)
    profiled = table.iloc[0]  # the place the profile opens on: the first on the map
    here = with_changes(page.filters, places=[profiled.place_code])
    shown = [
        screen_heatmap(overview.aim_way_heatmap(page), "aim", "way", clickable=True, chosen=None),
        screen_heatmap(alignment.view_heatmap(page, view), view.rows, view.columns, True, chosen=view.first_cell),
        screen_heatmap(coverage.place_aim_heatmap(page), "place", "aim", clickable=True, chosen=None),
        screen_copy(need_effort),
        screen_copy(places.map_figure(page, places.DEFAULT_MEASURE)),
        screen_copy(places.aims_chart(page, here, profiled.place_name)[1]),
        screen_copy(trends_page.chart_of_choice(page, trends_page.default_choice(page))[0]),
    ]
    return len(shown)
