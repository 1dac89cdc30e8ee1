"""The overview slide: the partnership's activity at a glance, as headline tiles."""

from __future__ import annotations

import pandas as pd

from strategy import analysis, charts
from strategy.board import headlines
from strategy.board.slides.common import PackContext, Slide
from strategy.rounding import short_money


def totals_tiles(totals: dict, places_total: int) -> list[tuple[str, str]]:
    """The Overview page's five tiles as (label, value) text."""
    return [
        ("Activities", f"{totals['activities']:,}"),
        ("Partners", f"{totals['partners']:,}"),
        ("Places reached", f"{totals['places_reached']} of {places_total}"),
        ("Investment", short_money(totals["investment"])),
        ("Participants (attendances)", f"{totals['participants']:,.0f}"),
    ]


def overview_slide(context: PackContext) -> Slide:
    totals = analysis.headline_totals(context.con, context.framework, context.filters)
    places_total = analysis.places_in_view(context.framework, context.filters)
    tiles = totals_tiles(totals, places_total)
    table = pd.DataFrame(
        {
            "Measure": [
                "Activities",
                "Partners",
                "Places reached",
                "Investment (£)",
                "Participants (attendances)",
                "Activities reporting money",
                "Activities reporting participants",
            ],
            "Value": [
                totals["activities"],
                totals["partners"],
                totals["places_reached"],
                round(totals["investment"]),
                round(totals["participants"]),
                totals["activities_with_investment"],
                totals["activities_with_participants"],
            ],
        }
    )
    return Slide(
        "overview",
        "Overview",
        headlines.overview_headline(totals, places_total),
        charts.totals_figure(tiles, "The partnership's activity at a glance", context.source),
        table,
        headlines.totals_summary(tiles),
        context.source,
        context.caveat(
            "Investment and participants are as partners report them; activities that report "
            "neither are counted but add nothing to those totals.",
            analysis.ATTENDANCES_NOTE,
            f"Places reached: of the {places_total} places in the filter.",
            f"Investment: {analysis.investment_words(totals['investment'], context.filters)}.",
        ),
        tuple(tiles),
    )
