"""The indicator trend slides: the headline indicator for the chosen places, and the appendix of the rest."""

from __future__ import annotations

import pandas as pd

from strategy.board import headlines
from strategy.board.slides.common import PackContext, Slide, source_line

HEADLINE_TREND_INDICATOR = "93015"  # adults inactive: the need measure the strategy is read by
# Lines on one trend chart: more cannot be told apart. Further places go on appendix slides at the end of the pack.
TREND_PLACES_PER_SLIDE = 6
TREND_APPENDIX_NAME = "Trends (continued)"


def _trend_groups(context: PackContext) -> list[tuple[str, ...]]:
    """The filtered places in groups of at most TREND_PLACES_PER_SLIDE (one empty group: England alone)."""
    chosen = tuple(context.filters.local_places(context.framework))
    return [chosen[i : i + TREND_PLACES_PER_SLIDE] for i in range(0, len(chosen), TREND_PLACES_PER_SLIDE)] or [()]


def _names(context: PackContext, codes) -> str:
    names = [context.framework.place(c).name for c in codes]
    return ", ".join(names[:-1]) + " and " + names[-1] if len(names) > 1 else "".join(names)


def _trend_slide(context: PackContext, chosen: tuple[str, ...], key: str, name: str, note: str) -> Slide | None:
    from strategy.indicators import trends
    from strategy.indicators.trend_charts import trend_figure
    from strategy.learning.markers import add_experiment_markers, experiment_markers

    definition = trends.indicator_definition(context.con, HEADLINE_TREND_INDICATOR)
    if definition is None:
        return None
    assessed = trends.assess_indicator(context.con, context.framework, HEADLINE_TREND_INDICATOR)
    shown = assessed[assessed.place_code.isin([*chosen, context.framework.benchmark])]
    if shown.empty:
        return None
    timeline = trends.activity_timeline(
        context.con, context.framework, context.filters, HEADLINE_TREND_INDICATOR, chosen, context.today
    )
    names = ", ".join(context.framework.place(c).name for c in chosen) or "England"
    figure = trend_figure(
        shown,
        timeline,
        f"{definition['short_name']}: {names}",
        source_line(context.coverage, context.today, f"{definition['source']}; partner returns"),
        definition["unit"],
        context.framework.benchmark,
        trends.activity_bars_label(definition["aim"], bool(chosen), context.filters),
        trends.period_kind(definition.get("year_starts")),
    )
    add_experiment_markers(
        figure, experiment_markers(context.con, context.framework, context.filters, HEADLINE_TREND_INDICATOR)
    )
    summary = trends.trend_summary(assessed, chosen, timeline, context.framework, context.filters)
    latest = trends.latest_summary(assessed, context.framework)
    latest = latest[latest.place_code.isin(shown.place_code)]
    # Where each comparison came from, in the heading when it is the same for every row (the table is narrow).
    sources = set(latest.comparison_source.dropna())
    compared = "Compared with England" + (
        f" ({trends.COMPARISON_SOURCE_WORDS[sources.pop()]})" if len(sources) == 1 else ""
    )
    key_figures = pd.DataFrame(
        {
            "Place": latest.place_name,
            "Period": [trends.period_label(p, definition.get("year_starts")) for p in latest.period],
            "Value": latest.value.round(1),
            compared: latest.compared_to_england,
        }
        | ({"Comparison by": latest.comparison_source.map(trends.COMPARISON_SOURCE_WORDS)} if len(sources) > 1 else {})
        | {"Recent trend": latest.recent_trend}
    ).reset_index(drop=True)
    return Slide(
        key,
        name,
        headlines.trend_headline(
            latest,
            definition["short_name"],
            context.framework.benchmark,
            definition["unit"],
            definition.get("year_starts"),
        ),
        figure,
        key_figures,
        summary,
        context.source,
        context.caveat(
            note,
            trends.comparison_note(shown) or "",
            "Bars: activities started by the indicator's years" + trends.period_limit(context.filters) + "."
            if context.filters.date_from or context.filters.date_to
            else "",
        ),
    )


def trends_slide(context: PackContext) -> Slide | None:
    """The inactive-adults trend for the filtered places (or England) with the partnership's activity beneath.

    At most TREND_PLACES_PER_SLIDE places are drawn here; the slide names any others and says they are on the
    appendix slides at the end of the pack, so no chosen place is left out silently."""
    groups = _trend_groups(context)
    rest = [code for group in groups[1:] for code in group]
    note = ""
    if rest:
        total = sum(len(g) for g in groups)
        slide_word = "slide" if len(groups) == 2 else "slides"
        note = (
            f"Lines for {len(groups[0])} of the {total} places chosen; {_names(context, rest)} "
            f"{'is' if len(rest) == 1 else 'are'} on the '{TREND_APPENDIX_NAME}' {slide_word} at the end of the "
            f"pack."
        )
    return _trend_slide(context, groups[0], "trends", "Trends", note)


def trends_appendix_slides(context: PackContext) -> list[Slide]:
    """The places the Trends slide had no room for, at most TREND_PLACES_PER_SLIDE to a slide."""
    found = []
    for number, group in enumerate(_trend_groups(context)[1:], start=2):
        slide = _trend_slide(
            context,
            group,
            f"trends_{number}",
            TREND_APPENDIX_NAME,
            "Continued from the Trends slide: the rest of the places chosen.",
        )
        if slide is not None:
            found.append(slide)
    return found
