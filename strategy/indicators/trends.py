"""Indicator trends as DataFrames: values with intervals, comparison with England, recent trend, activity beside them.

The page, the command line and the Overview tiles all read these functions, so they show the same numbers.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, timedelta

import duckdb
import pandas as pd

from strategy import db
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.indicators.statistics import (
    CI_NONE,
    CI_PUBLISHED,
    CI_WILSON,
    COMPARISON_COMPUTED,
    COMPARISON_PUBLISHED,
    COMPARISON_SOURCE_WORDS,
    NOT_COMPARED,
    TrendPoint,
    compare_with_benchmark,
    period_sort_key,
    recent_trend,
    sorted_periods,
    wilson_interval,
)

# How far a published percentage may sit from count/denominator x 100 (rounding) for Wilson to apply.
WILSON_TOLERANCE = 0.6
CI_METHOD_WORDS = {
    CI_PUBLISHED: "95% confidence interval as published",
    CI_WILSON: "95% Wilson score interval computed from count and denominator",
    CI_NONE: "no interval: not published and no count and denominator to compute one",
}
ASSESSMENT_COLUMNS = [
    "indicator_id",
    "indicator_name",
    "place_code",
    "place_name",
    "period",
    "value",
    "lower_ci",
    "upper_ci",
    "ci_method",
    "england_value",
    "compared_to_england",
    "comparison_source",
    "recent_trend",
    "trend_method",
]


# What an indicator's years are, by the day they start (indicators.toml's year_starts): adult Active Lives years
# run mid-November to mid-November, the children's survey follows the school year.
YEAR_KINDS = {
    "11-16": ("Active Lives adult years, mid-November to mid-November", "mid-Nov to mid-Nov"),
    "09-01": ("school years, September to August", "school year"),
}


def period_kind(year_starts: str | None) -> str:
    """What the indicator's periods are, in words: 'school years, September to August'."""
    if not year_starts or (isinstance(year_starts, float) and math.isnan(year_starts)):
        return "calendar years"
    if year_starts in YEAR_KINDS:
        return YEAR_KINDS[year_starts][0]
    month, day = (int(part) for part in year_starts.split("-"))
    return f"years starting {day} {pd.Timestamp(2000, month, 1):%B}"


def period_label(period: str, year_starts: str | None) -> str:
    """A period with what kind of year it is: '2024/25 (mid-Nov to mid-Nov)', '2024/25 (school year)'."""
    if not isinstance(period, str) or not period:
        return ""
    if year_starts in YEAR_KINDS:
        return f"{period} ({YEAR_KINDS[year_starts][1]})"
    return period if not year_starts or isinstance(year_starts, float) else f"{period} ({period_kind(year_starts)})"


def period_end(period: str, year_starts: str | None) -> date:
    """The last day of a period: a split year '2024/25' ends the day before its next start; '2024' on 31 December."""
    first = int(str(period)[:4])
    if not year_starts or isinstance(year_starts, float):
        return date(first, 12, 31)
    month, day = (int(part) for part in year_starts.split("-"))
    return date(first + 1, month, day) - timedelta(days=1)


def indicator_catalogue(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Every indicator with its unit, polarity, aim, definition and source, in display order."""
    return db.query(con, "indicator_definitions")


def indicator_definition(con: duckdb.DuckDBPyConnection, indicator_id: str) -> dict | None:
    found = indicator_catalogue(con)
    found = found[found.indicator_id == indicator_id]
    return found.iloc[0].to_dict() if len(found) else None


def _interval(row, unit: str | None) -> tuple[float | None, float | None, str]:
    """The row's 95% interval and where it came from: published, Wilson from counts (percentages only), or none."""
    if _present(row.lower_ci) and _present(row.upper_ci):
        return row.lower_ci, row.upper_ci, CI_PUBLISHED
    if (
        unit == "%"
        and _present(row.value)
        and _present(row["count"])
        and _present(row.denominator)
        and 0 <= row["count"] <= row.denominator
        and row.denominator > 0
        and abs(100 * row["count"] / row.denominator - row.value) <= WILSON_TOLERANCE
    ):
        lower, upper = wilson_interval(row["count"], row.denominator)
        return 100 * lower, 100 * upper, CI_WILSON
    return None, None, CI_NONE


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value)) and value is not pd.NA


def _compared(values: pd.DataFrame, definition: dict, benchmark: str) -> pd.DataFrame:
    """The values with their 95% interval and its method, England's value, and the comparison with England and
    where it came from."""
    values = values.astype(object).where(values.notna(), None)
    intervals = [_interval(row, definition["unit"]) for _, row in values.iterrows()]
    values["lower_ci"] = [i[0] for i in intervals]
    values["upper_ci"] = [i[1] for i in intervals]
    values["ci_method"] = [i[2] for i in intervals]
    england = values[values.place_code == benchmark].set_index("period").value.to_dict()
    values["england_value"] = values.period.map(england)
    decided = [_comparison(r, benchmark, definition["polarity"]) for r in values.itertuples()]
    values["compared_to_england"] = [verdict for verdict, _ in decided]
    values["comparison_source"] = [source for _, source in decided]
    return values


def indicator_comparisons(con: duckdb.DuckDBPyConnection, framework: Framework, indicator_id: str) -> pd.DataFrame:
    """Every place and period of one indicator with its comparison with England and where it came from, as
    assess_indicator gives them, without the recent trends (for tables that need only the verdict)."""
    columns = ["place_code", "period", "compared_to_england", "comparison_source"]
    definition = indicator_definition(con, indicator_id)
    values = db.query(con, "indicator_values_of_indicator", indicator_id=indicator_id)
    if definition is None or values.empty:
        return pd.DataFrame(columns=columns)
    return _compared(values, definition, framework.benchmark)[columns]


def assess_indicator(
    con: duckdb.DuckDBPyConnection, framework: Framework, indicator_id: str, places: tuple[str, ...] = ()
) -> pd.DataFrame:
    """Every place (or the given places, and England) and period of one indicator: value, 95% interval and its
    method, England's value, the comparison with England (Fingertips rule) and the recent trend up to that
    period. Periods in time order."""
    definition = indicator_definition(con, indicator_id)
    values = db.query(con, "indicator_values_of_indicator", indicator_id=indicator_id)
    if places:
        values = values[values.place_code.isin([*places, framework.benchmark])].reset_index(drop=True)
    if definition is None or values.empty:
        return pd.DataFrame(
            columns=ASSESSMENT_COLUMNS
            + [
                "count",
                "denominator",
                "value_note",
                "source",
                "unit",
                "polarity",
                "place_level",
                "published_comparison",
                "published_trend",
            ]
        )
    values = _compared(values, definition, framework.benchmark)
    periods = sorted_periods(values.period)
    trends = {}
    for place, series in values.groupby("place_code"):
        by_period = series.set_index("period")[["value", "lower_ci", "upper_ci", "count", "denominator"]]
        full = by_period.reindex(periods).astype(object)
        points = [TrendPoint(*(None if pd.isna(v) else v for v in row)) for row in full.itertuples(index=False)]
        for index, period in enumerate(periods):
            if period in by_period.index:
                trends[(place, period)] = recent_trend(points[: index + 1])
    values["recent_trend"] = [trends[(r.place_code, r.period)].direction for r in values.itertuples()]
    values["trend_method"] = [trends[(r.place_code, r.period)].method for r in values.itertuples()]
    values["indicator_name"] = definition["name"]
    values["unit"] = definition["unit"]
    values["polarity"] = definition["polarity"]
    for column in ("value", "lower_ci", "upper_ci", "count", "denominator", "england_value"):
        values[column] = pd.to_numeric(values[column], errors="coerce").astype(float)
    values["order"] = values.period.map(period_sort_key)
    return values.sort_values(["place_name", "order"]).drop(columns="order").reset_index(drop=True)


def _comparison(row, benchmark: str, polarity: str) -> tuple[str, str | None]:
    """(verdict, where it came from). A value with a 95% interval is judged by our rule (the Fingertips rule, see
    statistics.compare_with_benchmark); one without is given the publisher's own verdict when there is one
    (Fingertips decided it from the interval it holds); otherwise it is not compared. England is never compared."""
    if row.place_code == benchmark:
        return NOT_COMPARED, None
    if row.ci_method != CI_NONE:
        computed = compare_with_benchmark(row.value, row.lower_ci, row.upper_ci, row.england_value, polarity)
        if computed != NOT_COMPARED:
            return computed, COMPARISON_COMPUTED
    if row.published_comparison:
        return row.published_comparison, COMPARISON_PUBLISHED
    return NOT_COMPARED, None


def comparison_phrase(verdict: str | None, source: str | None) -> str:
    """'worse than England (Fingertips' published comparison)'; 'not compared with England' without a verdict."""
    words = {
        "better": "better than England",
        "worse": "worse than England",
        "similar": "similar to England",
        "higher": "higher than England",
        "lower": "lower than England",
    }
    if verdict not in words:
        return "not compared with England"
    return words[verdict] + (f" ({COMPARISON_SOURCE_WORDS[source]})" if source in COMPARISON_SOURCE_WORDS else "")


def indicator_assessments(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    indicator_id: str | None = None,
    place_code: str | None = None,
    period: str | None = None,
) -> pd.DataFrame:
    """The assessment of one indicator or all, optionally for one place and one period (the CLI's answer)."""
    ids = [indicator_id] if indicator_id else list(indicator_catalogue(con).indicator_id)
    chosen = (place_code,) if place_code else ()
    found = pd.concat([assess_indicator(con, framework, i, chosen) for i in ids], ignore_index=True)
    if place_code:
        found = found[found.place_code == place_code]
    if period:
        found = found[found.period == period]
    return found.reset_index(drop=True)


def latest_period(assessed: pd.DataFrame) -> str | None:
    """The most recent period of an indicator that has any value."""
    with_values = assessed[assessed.value.notna()]
    return sorted_periods(with_values.period)[-1] if len(with_values) else None


def latest_summary(assessed: pd.DataFrame, framework: Framework, period: str | None = None) -> pd.DataFrame:
    """One row per local place and England for the latest period: value, interval, comparison and trend."""
    period = period or latest_period(assessed)
    codes = [framework.benchmark] + [p.code for p in framework.local_places()]
    names = {p.code: p.name for p in framework.places}
    table = pd.DataFrame({"place_code": codes, "place_name": [names[c] for c in codes]})
    chosen = assessed[assessed.period == period][
        [
            "place_code",
            "period",
            "value",
            "lower_ci",
            "upper_ci",
            "ci_method",
            "compared_to_england",
            "comparison_source",
            "recent_trend",
            "published_comparison",
            "published_trend",
        ]
    ]
    table = table.merge(chosen, on="place_code", how="left")
    table["period"] = period
    for column in ("value", "lower_ci", "upper_ci"):
        table[column] = pd.to_numeric(table[column], errors="coerce")
    table["compared_to_england"] = table.compared_to_england.fillna(NOT_COMPARED)
    table["recent_trend"] = table.recent_trend.fillna("cannot be calculated")
    return table


def activity_timeline(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    filters: Filters,
    indicator_id: str,
    place_codes: tuple[str, ...],
    today: date | None = None,
) -> pd.DataFrame:
    """Activities started per indicator period in the chosen places (all when none) that address the indicator's aim.

    Counts activities by start date in the indicator's own years (Active Lives: mid-November to mid-November),
    so the bars line up with the survey periods. Contribution, not attribution. A period that has not ended
    by today is marked partial, so its shorter bar is not read as a fall.
    """
    definition = indicator_definition(con, indicator_id) or {}
    aim = definition.get("aim")
    scoped = replace(filters, places=tuple(place_codes) or filters.places, aims=(aim,) if aim else filters.aims)
    month, day = (
        (int(part) for part in definition["year_starts"].split("-")) if definition.get("year_starts") else (None, None)
    )
    timeline = db.query(
        con,
        "activities_started_by_indicator_year",
        year_start_month=month,
        year_start_day=day,
        **scoped.sql_parameters(framework),
    )
    as_of = today or date.today()
    timeline["partial"] = [period_end(p, definition.get("year_starts")) >= as_of for p in timeline.period]
    return timeline


def activity_bars_label(aim: str | None, places_shown: bool, filters: Filters) -> str:
    """The name of the activities-started bars: which aim, which places and, with a period chosen, that only
    activities running in it are counted (activity_timeline keeps the filters' period)."""
    label = f"Activities started for aim {aim or '(any)'}" + (
        " in the places shown" if places_shown else " across the partnership"
    )
    return label + period_limit(filters)


def period_limit(filters: Filters) -> str:
    """', only those running in 1 January 2024 to 31 December 2024' with a period chosen, else nothing."""
    return f", only those running in {filters.describe_period()}" if filters.date_from or filters.date_to else ""


def headline_place(framework: Framework, filters: Filters) -> str:
    """The place the headline tiles describe: the one local place the filter selects, else England."""
    chosen = filters.local_places(framework)
    return chosen[0] if len(chosen) == 1 else framework.benchmark


def headline_indicators(con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters) -> pd.DataFrame:
    """Latest value, change since the previous period, comparison and trend of each headline indicator for the
    filtered place (England when the filter is not one place)."""
    place = headline_place(framework, filters)
    return _headline_rows(con, framework, (place,), places=(place,))


def headline_indicators_by_place(con: duckdb.DuckDBPyConnection, framework: Framework) -> pd.DataFrame:
    """headline_indicators for every place at once (the rows of each place together, as headline_indicators
    gives them): one assessment per indicator instead of one per place and indicator."""
    return _headline_rows(con, framework, None)


def _headline_rows(
    con: duckdb.DuckDBPyConnection, framework: Framework, wanted: tuple[str, ...] | None, places: tuple[str, ...] = ()
) -> pd.DataFrame:
    """The headline rows of the wanted places (None: every place with values), place by place."""
    rows = []
    catalogue = indicator_catalogue(con)
    headline = catalogue[catalogue.headline].to_dict("records")
    assessed = {d["indicator_id"]: assess_indicator(con, framework, d["indicator_id"], places) for d in headline}
    order = (
        list(wanted)
        if wanted is not None
        else list(dict.fromkeys(code for table in assessed.values() for code in table.place_code))
    )
    for place in order:
        for definition in headline:
            series = assessed[definition["indicator_id"]]
            series = series[(series.place_code == place) & series.value.notna()]
            if series.empty:
                continue
            latest, previous = series.iloc[-1], series.iloc[-2] if len(series) > 1 else None
            rows.append(
                {
                    "indicator_id": definition["indicator_id"],
                    "short_name": definition["short_name"],
                    "period_label": period_label(latest.period, definition.get("year_starts")),
                    "unit": definition["unit"],
                    "polarity": definition["polarity"],
                    "aim": definition["aim"],
                    "place_code": place,
                    "place_name": latest.place_name,
                    "period": latest.period,
                    "value": latest.value,
                    "previous_period": None if previous is None else previous.period,
                    "change": None if previous is None else latest.value - previous.value,
                    "england_value": latest.england_value,
                    "compared_to_england": latest.compared_to_england,
                    "comparison_source": latest.comparison_source,
                    "recent_trend": latest.recent_trend,
                }
            )
    found = pd.DataFrame(rows)
    if "comparison_source" in found:  # None for England: the same dtype whichever places are asked for
        found["comparison_source"] = pd.Series(
            [c if isinstance(c, str) else None for c in found.comparison_source], index=found.index, dtype=object
        )
    return found


def comparison_note(values: pd.DataFrame) -> str | None:
    """A sentence for the page when values shown have no interval: which comparison is shown for them (Fingertips'
    published one, or none), and why the recent trend cannot be calculated. None when every value has one."""
    with_values = values[values.value.notna()] if len(values) else values
    without = with_values[with_values.ci_method == CI_NONE] if len(with_values) else with_values
    if without.empty:
        return None
    local = without[without.place_level != "country"] if "place_level" in without else without
    published = int((local.comparison_source == COMPARISON_PUBLISHED).sum())
    unjudged = len(local) - published
    intro = (
        "Intervals are not published in this extract"
        if len(without) == len(with_values)
        else f"{len(without)} of the {len(with_values)} values shown have no interval"
    )
    text = intro + ", and there are no counts and denominators to compute them from"
    if published and not unjudged:
        return text + (
            ". The comparison with England shown is Fingertips' published comparison (OHID's own verdict, "
            "decided from the intervals it holds); the recent trend needs the intervals, so it is "
            "'cannot be calculated'."
        )
    if published:
        return text + (
            f". For {published} of them the comparison shown is Fingertips' published comparison; the "
            f"other {unjudged} have no published verdict, so they are 'not compared'. The recent trend "
            "needs the intervals, so it is 'cannot be calculated'."
        )
    return text + (
        "; comparison with England and the recent trend need them, so they are shown as 'not compared' "
        "and 'cannot be calculated'."
    )


def trend_summary(
    assessed: pd.DataFrame,
    place_codes: tuple[str, ...],
    timeline: pd.DataFrame,
    framework: Framework,
    filters: Filters = Filters(),
) -> str:
    """One plain-English sentence on the trend chart: the latest value of each chosen place against England, and
    the activity started in the same years."""
    period = latest_period(assessed)
    if period is None:
        return "No values of this indicator yet."
    unit = "%" if assessed.unit.iloc[0] == "%" else ""
    latest = assessed[assessed.period == period].set_index("place_code")
    parts = []
    for code in place_codes:
        if code in latest.index and pd.notna(latest.loc[code, "value"]):
            row = latest.loc[code]
            parts.append(
                f"{row.place_name} {row.value:.1f}{unit}, "
                f"{comparison_phrase(row.compared_to_england, row.comparison_source)}, recent trend "
                f"{row.recent_trend}"
            )
        else:
            parts.append(f"{framework.place(code).name} has no value for {period}")
    england = latest.value.get(framework.benchmark)
    text = f"In {period}, " + ("; ".join(parts) + ". " if parts else "")
    text += f"England {england:.1f}{unit}." if england is not None and pd.notna(england) else "England has no value."
    started = int(timeline.activities_started.sum()) if len(timeline) else 0
    return text + (
        f" Partners started {started:,} activities for this aim in the places shown over the years "
        f"charted{period_limit(filters)}."
    )
