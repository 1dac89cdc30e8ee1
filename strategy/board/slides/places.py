"""The place slides: need against effort, and the map."""

from __future__ import annotations

import pandas as pd

from strategy import analysis, charts
from strategy.board import headlines
from strategy.board.slides.common import PackContext, Slide
from strategy.rounding import per_head_rounded


def need_effort_slide(context: PackContext) -> Slide:
    table = analysis.need_vs_effort(context.con, context.framework, context.filters)
    effort_label = "Investment per head (£)"
    figure = charts.need_effort_figure(table, "investment_per_head", "Need against effort, by place", context.source)
    shown = table.sort_values("inactive_pct", ascending=False).head(8)
    key_figures = pd.DataFrame(
        {
            "Place": shown.place_name.to_numpy(),
            "Inactive adults (%)": shown.inactive_pct.round(1).to_numpy(),
            "Investment per head (£)": [per_head_rounded(v) for v in shown.investment_per_head],
            "High need, low effort": shown.high_need_low_effort.map({True: "yes", False: ""}).to_numpy(),
        }
    )
    return Slide(
        "need_effort",
        "Need vs effort",
        headlines.need_effort_headline(table),
        figure,
        key_figures,
        headlines.need_effort_summary(table, effort_label),
        context.source,
        context.caveat(
            "Need: adults inactive, latest Active Lives (OHID Fingertips 93015). Investment in a "
            "place is its apportioned share of multi-place activities.",
            analysis.YARDSTICK_NOTE,
        ),
    )


def place_map_slide(context: PackContext) -> Slide:
    table = analysis.need_vs_effort(context.con, context.framework, context.filters)
    measure, label = "activities_per_100k", "Activities per 100,000 people"
    try:
        boundaries = charts.read_boundaries()
    except charts.BoundaryFileError:
        boundaries = None  # the pack is still made, with centre points; the Places page says what is wrong
    figure = charts.place_map_figure(
        table, measure, label, "Activities per 100,000 people, by place", context.source, boundaries
    )
    ranked = table.sort_values(measure, ascending=False)
    shown = pd.concat([ranked.head(4), ranked.tail(4)]).drop_duplicates("place_code")
    key_figures = pd.DataFrame(
        {
            "Place": shown.place_name.to_numpy(),
            "Activities": shown.activities.to_numpy(),
            label: shown[measure].round(1).to_numpy(),
        }
    )
    return Slide(
        "place_map",
        "Map",
        headlines.place_spread_headline(table, measure, label),
        figure,
        key_figures,
        headlines.map_summary(table, measure, label, areas=boundaries is not None),
        context.source,
        context.caveat(
            "Areas drawn from ONS district boundaries (December 2019)."
            if boundaries
            else "Circles at ONS area centre points (the boundary file was not found).",
            "A multi-place activity counts in every place it reaches.",
        ),
    )
