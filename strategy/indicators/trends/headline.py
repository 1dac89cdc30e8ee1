"""The headline indicators: the place a view's tiles speak for, and each headline indicator's latest value there."""

from __future__ import annotations

import duckdb
import pandas as pd

from strategy.filters import Filters
from strategy.framework import Framework
from strategy.indicators.trends.assessment import assess_indicator, indicator_catalogue, period_label


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
