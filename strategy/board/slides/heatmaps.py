"""The heatmap slides: aims by ways of working (activities and investment), places, sectors and themes by aims."""

from __future__ import annotations

import pandas as pd

from strategy import analysis, charts
from strategy.board import headlines
from strategy.board.slides.common import OVERLAP_CAVEAT, PackContext, Slide


def shares_note(shares: pd.Series, noun: str) -> str:
    """Why shares of the total add to more than 100% (an activity can serve several aims), when they do."""
    added = float(sum(shares))
    if added <= 100.5:
        return ""
    return (
        f"The shares add to {added:.0f}%, not 100%, because an activity can serve several {noun}s and counts in each."
    )


def _per_item(context: PackContext, dimension: str, measure: str) -> pd.Series:
    """Activities (or a measure) addressing each aim or theme: the item x sector cells summed over sectors.

    Every activity has exactly one sector, so each activity counts once per item it names.
    """
    cells = analysis.heatmap(context.con, context.framework, context.filters, rows=dimension, columns="sector")
    return cells.groupby("row_label", sort=False)[measure].sum()


def _heatmap_slide(context: PackContext, key: str, name: str, rows: str, columns: str, measure: str) -> Slide:
    cells = analysis.heatmap(context.con, context.framework, context.filters, rows=rows, columns=columns)
    title = (
        f"{analysis.MEASURES[measure]} by {analysis.DIMENSION_NAMES[rows].lower()} and "
        f"{analysis.DIMENSION_NAMES[columns].lower()}"
    )
    figure = charts.heatmap_figure(cells, measure, title, context.source)
    summary = analysis.heatmap_summary(cells, measure)
    row_noun, column_noun = analysis.DIMENSION_NAMES[rows].lower(), analysis.DIMENSION_NAMES[columns].lower()
    caveats = [analysis.ATTENDANCES_NOTE] if measure == "participants" else []
    if rows in ("aim", "theme"):
        per_item = _per_item(context, rows, measure)
        totals = analysis.headline_totals(context.con, context.framework, context.filters)
        total = totals["investment"] if measure == "investment" else totals["activities"]
        headline = headlines.fewest_headline(
            per_item,
            total,
            analysis.DIMENSION_NAMES[rows],
            "investment" if measure == "investment" else "activities",
            least_word="least" if measure == "investment" else "fewest",
            money=measure == "investment",
        )
        label = "Investment (£)" if measure == "investment" else "Activities"
        table = pd.DataFrame(
            {
                analysis.DIMENSION_NAMES[rows]: per_item.index,
                label: per_item.round().astype(int).to_numpy(),
                "Share of total (%)": [round(100 * v / total, 1) if total else 0.0 for v in per_item],
            }
        )
        caveats.append(shares_note(table["Share of total (%)"], analysis.DIMENSION_NAMES[rows].lower()))
    else:
        headline = headlines.empty_cells_headline(cells, row_noun, column_noun)
        weakest = cells.sort_values(["activities", measure]).head(6)
        table = pd.DataFrame(
            {
                analysis.DIMENSION_NAMES[rows]: weakest.row_label.to_numpy(),
                analysis.DIMENSION_NAMES[columns]: weakest.column_label.to_numpy(),
                "Activities": weakest.activities.to_numpy(),
            }
        )
    return Slide(key, name, headline, figure, table, summary, context.source, context.caveat(OVERLAP_CAVEAT, *caveats))


def aims_ways_slide(context: PackContext) -> Slide:
    return _heatmap_slide(context, "aims_ways", "Alignment", "aim", "way", "activities")


def aims_ways_investment_slide(context: PackContext) -> Slide:
    return _heatmap_slide(context, "aims_ways_investment", "Investment", "aim", "way", "investment")


def places_aims_slide(context: PackContext) -> Slide:
    return _heatmap_slide(context, "places_aims", "Places x aims", "place", "aim", "activities")


def sectors_aims_slide(context: PackContext) -> Slide:
    return _heatmap_slide(context, "sectors_aims", "Sectors x aims", "sector", "aim", "activities")


def themes_aims_slide(context: PackContext) -> Slide:
    return _heatmap_slide(context, "themes_aims", "Themes x aims", "theme", "aim", "activities")
