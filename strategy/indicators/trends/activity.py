"""The partners' activity beside an indicator: the activities running in each of its periods, for the chosen places."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import pandas as pd

from strategy import db
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.indicators.trends.assessment import indicator_definition, period_end


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
