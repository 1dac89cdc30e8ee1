"""The pack's title: the strategy's name, the filters it was made for and the date, and how a table's cells are
written on a slide."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from strategy import analysis
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.periods import govuk_date

PACK_TITLE = "{strategy}: board pack"  # {strategy}: the framework's name (PackTitle.heading)


@dataclass(frozen=True)
class PackTitle:
    """What the title slide states: the filters in words and the data's 'as of' date."""

    filters_text: str
    as_of: str
    is_demo: bool
    made_on: date
    vision: str = ""  # the strategy's vision, in its own words
    strategy: str = ""  # the strategy's name, from its framework file

    @property
    def heading(self) -> str:
        """The title slide's title: 'Making our Move: board pack'."""
        return PACK_TITLE.format(strategy=self.strategy or "Strategy")


def pack_title(
    con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters, today: date | None = None
) -> PackTitle:
    coverage = analysis.data_coverage(con)
    made_on = today or date.today()
    return PackTitle(
        filters.describe(framework),
        coverage.get("data_as_of") or made_on.isoformat(),
        coverage.get("dataset") == "demo",
        made_on,
        framework.vision,
        framework.name,
    )


def filter_statement(title: PackTitle) -> str:
    return f"Showing: {title.filters_text}."


def format_cell(value: object) -> str:
    """Table text: thousands separators, at most one decimal place, GOV.UK dates, blanks for missing values."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else ""
    if isinstance(value, (date, pd.Timestamp)):
        return "" if pd.isna(value) else govuk_date(value)
    number = float(value)
    if math.isnan(number):
        return ""
    return f"{int(number):,}" if number.is_integer() else f"{number:,.1f}"
