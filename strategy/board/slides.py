"""The board's slides: one list that drives presentation mode, the PPTX and the PDF.

Each slide is built from the same analysis functions and chart functions the dashboard pages use, so a pack
shows the page's numbers. To add a view (for example indicator trends), write one builder returning a Slide
(or None when it has nothing to show) and add it to SLIDE_BUILDERS.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Callable

import duckdb
import pandas as pd
import plotly.graph_objects as go

from strategy import analysis, charts, periods
from strategy.board import headlines
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.periods import govuk_date
from strategy.rounding import per_head_rounded, short_money

OVERLAP_CAVEAT = "An activity counts in every cell it names, so cells overlap and do not add up to the total."
DEMO_CAVEAT = "Demo data: every partner and activity is fictional."


@dataclass(frozen=True)
class Slide:
    """One view for the board: a headline from the data, the chart, its key figures and its small print."""

    key: str  # stable identifier, used in file names, URLs and tests
    name: str  # short name for navigation
    headline: str  # the slide title: one finding with its figures
    figure: go.Figure
    table: pd.DataFrame  # the key figures, shown as a native (editable) table
    summary: str  # one plain-English sentence describing the chart: alt text and speaker notes
    source: str
    caveat: str = ""
    tiles: tuple[tuple[str, str], ...] = ()  # headline numbers as (label, value): drawn as tiles on a slide


@dataclass(frozen=True)
class PackContext:
    """What every slide builder needs: the data, the framework, the filters and the source line."""

    con: duckdb.DuckDBPyConnection
    framework: Framework
    filters: Filters
    coverage: dict
    today: date | None = None

    @property
    def is_demo(self) -> bool:
        return self.coverage.get("dataset") == "demo"

    @property
    def as_of(self) -> str:
        return self.coverage.get("data_as_of") or (self.today or date.today()).isoformat()

    @property
    def source(self) -> str:
        return source_line(self.coverage, self.today)

    def caveat(self, *parts: str) -> str:
        period = [periods.SHORT_RULE] if self.filters.date_from or self.filters.date_to else []
        return " ".join(([DEMO_CAVEAT] if self.is_demo else []) + [p for p in parts if p] + period)


def human_header(name: object) -> str:
    """A column heading as a person writes it: 'lead_partner' reads 'Lead partner'; headings already written
    for people are kept."""
    text = str(name)
    if "_" not in text and text != text.lower():
        return text
    words = text.replace("_", " ").strip()
    return words[:1].upper() + words[1:]


def source_line(coverage: dict, today: date | None = None, what: str = "partner activity returns") -> str:
    """The source line every chart carries: what, demo or not, and the 'as of' date."""
    kind = "DEMO DATA (fictional partners and activities)" if coverage.get("dataset") == "demo" else what
    as_of = coverage.get("data_as_of") or (today or date.today()).isoformat()
    return f"Source: {kind}; as of {govuk_date(as_of)}."


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


def _learning_slide(context: PackContext, title: str, key: str) -> Slide | None:
    from strategy.learning.exports import board_pack_sections

    section = next(
        (
            s
            for s in board_pack_sections(context.con, context.framework, context.filters, context.today)
            if s.title == title
        ),
        None,
    )
    if section is None:
        return None
    figure = charts.table_figure(readable_table(section.table.head(10)), title, context.source)
    return Slide(
        key,
        title,
        section.headline,
        figure,
        section.table,
        section.headline,
        context.source,
        context.caveat("From the learning workspace."),
    )


def readable_table(table: pd.DataFrame) -> pd.DataFrame:
    """A list as a person reads it: headings in words ('Lead partner'), dates as GOV.UK writes them."""
    shown = table.copy()
    for column in shown.columns:
        if (
            pd.api.types.is_datetime64_any_dtype(shown[column])
            or shown[column].map(lambda v: isinstance(v, date)).any()
        ):
            shown[column] = [govuk_date(pd.Timestamp(v).date()) if pd.notna(v) else "" for v in shown[column]]
    return shown.rename(columns=human_header)


def experiments_slide(context: PackContext) -> Slide | None:
    return _learning_slide(context, "Safe-to-fail experiments", "experiments")


def commitments_slide(context: PackContext) -> Slide | None:
    return _learning_slide(context, "Commitments", "commitments")


def since_last_time_slide(context: PackContext) -> Slide | None:
    """The pack opens with the board's own decisions: each one, its owner, its state, and what moved in the
    figures of the view it was made on since it was recorded (left out while no decision is recorded)."""
    from strategy.loop import decisions

    found = decisions.since_last_time(context.con, context.framework, context.today)
    if found.empty:
        return None
    table = decisions.since_last_time_table(found, context.framework)
    figure = charts.table_figure(table.head(10), "Since last time: the board's decisions", context.source)
    summary = (
        decisions.since_last_time_headline(found) + " The table lists each decision with its owner, its "
        "state, the view it was made on, and how that view's activities and investment moved since it was "
        "recorded."
    )
    return Slide(
        "since_last_time",
        "Since last time",
        decisions.since_last_time_headline(found),
        figure,
        table.head(12),
        summary,
        context.source,
        context.caveat(decisions.MOVEMENT_NOTE, "Each decision keeps the view it was made on as a link."),
    )


def scenario_slides(context: PackContext) -> list[Slide]:
    """One slide per saved scenario chosen for the pack, each marked 'Scenario, not actual' in its title, headline
    and small print; the reported slides never include scenario money."""
    from strategy.loop import decisions, scenarios

    built = []
    for row in scenarios.saved_scenarios(context.con, in_board_pack_only=True).itertuples():
        filters = decisions.filters_of(row.view_query, context.framework)
        today_table = scenarios.need_and_effort(context.con, context.framework, filters, context.today)
        table = scenarios.with_scenario(today_table, scenarios.saved_added(row))
        title = f"{scenarios.SCENARIO_MARK}: {row.name}"
        figure = charts.need_effort_figure(
            scenarios.scenario_figure_table(table), "investment_per_head", title, context.source
        )
        described = scenarios.describe(context.framework, scenarios.saved_settings(row))
        flagged = int(table.scenario_high_need_low_effort.sum())
        headline = (
            f"{scenarios.SCENARIO_MARK}: {row.name}. High need, low effort places: "
            f"{int(table.high_need_low_effort.sum())} today, {flagged} in the scenario "
            f"(by investment per head, {filters.describe_period()})."
        )
        built.append(
            Slide(
                f"scenario_{row.scenario_id}",
                f"Scenario: {row.name}",
                headline,
                figure,
                scenarios.per_place_table(table).head(12),
                f"{headline} {described}",
                context.source,
                context.caveat(
                    f"{scenarios.SCENARIO_MARK}: today's figures with the scenario's money "
                    "added; no activity or reported figure is changed.",
                    scenarios.per_head_today_note(filters),
                    scenarios.flagged_sentence(table, filters),
                    scenarios.SPREAD_RULE if row.kind == "spread" else "",
                ),
            )
        )
    return built


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
