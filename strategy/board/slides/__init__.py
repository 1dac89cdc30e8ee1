"""The board's slides: one list that drives presentation mode, the PPTX and the PDF.

Each slide is built from the same analysis functions and chart functions the dashboard pages use, so a pack
shows the page's numbers. To add a view (for example indicator trends), write one builder returning a Slide
(or None when it has nothing to show) in the module of its kind and add it to SLIDE_BUILDERS.

What every slide is made of is in common; the builders are in overview, heatmaps, gaps, places, trends, learning
and decisions.
"""

from __future__ import annotations

from datetime import date
from typing import Callable

import duckdb

from strategy import analysis
from strategy.board.slides.common import (
    DEMO_CAVEAT,
    OVERLAP_CAVEAT,
    PackContext,
    Slide,
    human_header,
    source_line,
)
from strategy.board.slides.decisions import scenario_slides, since_last_time_slide
from strategy.board.slides.gaps import gaps_slide
from strategy.board.slides.heatmaps import (
    aims_ways_investment_slide,
    aims_ways_slide,
    places_aims_slide,
    sectors_aims_slide,
    themes_aims_slide,
)
from strategy.board.slides.learning import commitments_slide, experiments_slide
from strategy.board.slides.overview import overview_slide
from strategy.board.slides.places import need_effort_slide, place_map_slide
from strategy.board.slides.trends import trends_appendix_slides, trends_slide
from strategy.filters import Filters
from strategy.framework import Framework

__all__ = [
    "APPENDIX_BUILDERS",
    "DEMO_CAVEAT",
    "OVERLAP_CAVEAT",
    "RECORDED_BUILDERS",
    "SLIDE_BUILDERS",
    "PackContext",
    "Slide",
    "board_slides",
    "human_header",
    "source_line",
    "since_last_time_slide",
    "overview_slide",
    "aims_ways_slide",
    "aims_ways_investment_slide",
    "places_aims_slide",
    "sectors_aims_slide",
    "themes_aims_slide",
    "gaps_slide",
    "need_effort_slide",
    "place_map_slide",
    "trends_slide",
    "experiments_slide",
    "commitments_slide",
    "scenario_slides",
    "trends_appendix_slides",
]

# The board pack, in order. One entry per view; a builder may return None to leave its slide out, or a list of
# slides (an appendix).
SLIDE_BUILDERS: list[Callable[[PackContext], Slide | list[Slide] | None]] = [
    since_last_time_slide,
    overview_slide,
    aims_ways_slide,
    aims_ways_investment_slide,
    places_aims_slide,
    sectors_aims_slide,
    themes_aims_slide,
    gaps_slide,
    need_effort_slide,
    place_map_slide,
    trends_slide,
    experiments_slide,
    commitments_slide,
    scenario_slides,
    trends_appendix_slides,
]
# Builders of appendix slides: none when everything fitted on its view's slide (six places or fewer).
APPENDIX_BUILDERS = (trends_appendix_slides,)
# Builders with nothing to show until the board records a decision or saves a scenario.
RECORDED_BUILDERS = (since_last_time_slide, scenario_slides)


def board_slides(
    con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters, today: date | None = None
) -> list[Slide]:
    """Every view of the board pack for the filters, in order."""
    context = PackContext(con, framework, filters, analysis.data_coverage(con), today)
    built = [build(context) for build in SLIDE_BUILDERS]
    return [slide for found in built for slide in (found if isinstance(found, list) else [found]) if slide is not None]
