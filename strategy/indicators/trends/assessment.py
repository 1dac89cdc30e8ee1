"""Each indicator's values with their intervals, compared with England (the published verdict, else ours) and
with their recent trend; its periods named and dated; the latest value in words."""

from __future__ import annotations

import math
from datetime import date, timedelta

import duckdb
import pandas as pd

from strategy import db
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
