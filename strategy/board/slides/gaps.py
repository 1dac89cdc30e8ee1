"""The gaps slide: the aims and ways of working with no or thin activity."""

from __future__ import annotations

import pandas as pd

from strategy import analysis, charts
from strategy.board import headlines
from strategy.board.slides.common import PackContext, Slide


def gaps_slide(context: PackContext) -> Slide:
    year = analysis.gap_year(context.filters, context.today)
    period = analysis.gap_period_label(context.filters, context.today)
    gaps = analysis.gaps(context.con, context.framework, context.filters, year=year, today=context.today)
    per_place = (
        gaps.groupby("place", sort=False)
        .agg(gaps=("aim", "size"), no_activity=("kind", lambda k: int((k == "none").sum())))
        .reset_index()
        .sort_values(["gaps", "no_activity"], ascending=False)
        .reset_index(drop=True)
    )
    figure = charts.bar_figure(
        per_place,
        "gaps",
        "place",
        f"Aims with no or thin activity, per place, {period}",
        context.source,
        "Aims with a gap (no activity or thin)",
        highlight=per_place.no_activity > 0,
    )
    figure.update_xaxes(dtick=1)  # whole numbers of aims
    top = gaps.head(8)
    table = pd.DataFrame(
        {
            "Place": top.place.to_numpy(),
            "Aim": top.aim.to_numpy(),
            "Activities": top.activities.to_numpy(),
            "Inactive adults (%)": top.inactive_pct.round(1).to_numpy(),
        }
    )
    return Slide(
        "gaps",
        "Gaps",
        headlines.gaps_headline(gaps, period),
        figure,
        table,
        headlines.gaps_summary(per_place, period),
        context.source,
        context.caveat(
            f"Gaps are judged in {period}.",
            analysis.gap_period_note(context.filters, context.today),
            f"{analysis.THIN_RULE} Orange bars: places with at least one aim that has no activity.",
        ),
    )
