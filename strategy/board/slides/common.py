"""What every slide is made of: the Slide, the context its builder is given, the caveats, the source line and
readable column headings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd
import plotly.graph_objects as go

from strategy import periods
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.periods import govuk_date

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
