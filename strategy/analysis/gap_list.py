"""The gap questions: where activity is missing or thin for a place and an aim, judged against the typical place
(gap_kinds, gap_yardstick), in the year or period of the view."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import pandas as pd

from strategy import periods
from strategy.analysis.common import THIN_CELL
from strategy.analysis.heatmaps import heatmap
from strategy.analysis.places import benchmark_value, inactive_comparisons, need_by_place
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.indicators.trends import comparison_phrase


def gap_year(filters: Filters, today: date | None = None) -> int:
    """The calendar year gaps are judged in: the end of the chosen period, else this year."""
    return (filters.date_to or today or periods.today()).year


def gap_period(filters: Filters, today: date | None = None) -> tuple[int, date, date, bool]:
    """The gap year and the days of it the gap list covers: (year, first day, last day, so_far). A chosen period
    may cover part of the year; a year not over yet is covered up to today (so_far), although an activity planned
    to start later that year counts already."""
    day = today or periods.today()
    year = gap_year(filters, today)
    first = max(filter(None, [filters.date_from, date(year, 1, 1)]))
    last = min(filter(None, [filters.date_to, date(year, 12, 31)]))
    so_far = first <= day < last
    return year, first, min(last, day) if so_far else last, so_far


def gap_period_label(filters: Filters, today: date | None = None) -> str:
    """The gap year as a label says it: '2025' for a whole year, '2026 (1 January to 30 November)' for part of
    one (a period that covers part of it, or the year so far)."""
    year, first, last, _ = gap_period(filters, today)
    if (first, last) == (date(year, 1, 1), date(year, 12, 31)):
        return str(year)
    return f"{year} ({periods.day_and_month(first)} to {periods.day_and_month(last)})"


def gap_period_note(filters: Filters, today: date | None = None) -> str:
    """What the gap year's label leaves out, for captions: empty for a whole year that is over."""
    year, first, last, so_far = gap_period(filters, today)
    if not so_far:
        return ""
    return (
        f"{year} is not over: the gaps are judged on the year so far, to today ({periods.govuk_date(last)}); "
        f"an activity planned to start later in {year} counts already."
    )


def gaps(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    filters: Filters,
    year: int | None = None,
    today: date | None = None,
) -> pd.DataFrame:
    """Place x aim gaps in one year, worst first, each with a plain-English reason.

    A gap is a place where no activity running that year addresses an aim (ranked by the place's inactive
    share, highest first), then places where activity is thin: fewer than THIN_CELL activities, or under a
    quarter of the typical place's activities per 100,000 people for that aim. The typical place is the whole
    partnership's (gap_yardstick), whatever the place filter, so a place's gaps are the same in every view.
    """
    year = year or gap_year(filters, today)
    in_year = year_filters(filters, year)
    cells = heatmap(con, framework, in_year, rows="place", columns="aim", today=today)
    need = need_by_place(con, in_year.as_of(today))[
        ["place_code", "population", "inactive_pct", "inactive_period", "imd2019_score"]
    ]
    need = need.merge(inactive_comparisons(con, framework), on=["place_code", "inactive_period"], how="left")
    cells = cells.merge(need, left_on="row_code", right_on="place_code", how="left")
    cells["kind"], typical = gap_kinds(cells, gap_yardstick(con, framework, in_year, today))
    found = cells[cells.kind.notna()].copy()
    england = benchmark_value(con, framework, "93015")
    found["reason"] = [_gap_reason(r, year, england) for r in found.itertuples()]
    found["rank_key"] = found.kind.map({"none": 0, "thin": 1})
    found["shortfall"] = (found.per_100k / typical[found.index]).fillna(0)
    found = found.sort_values(["rank_key", "shortfall", "inactive_pct"], ascending=[True, True, False])
    found["year"] = year
    return (
        found[
            [
                "row_code",
                "row_label",
                "column_code",
                "column_label",
                "kind",
                "activities",
                "per_100k",
                "inactive_pct",
                "year",
                "reason",
            ]
        ]
        .rename(
            columns={"row_code": "place_code", "row_label": "place", "column_code": "aim_code", "column_label": "aim"}
        )
        .reset_index(drop=True)
    )


def year_filters(filters: Filters, year: int) -> Filters:
    """The filters limited to one calendar year, as the gap list takes them."""
    return replace(
        filters,
        date_from=max(filter(None, [filters.date_from, date(year, 1, 1)])),
        date_to=min(filter(None, [filters.date_to, date(year, 12, 31)])),
    )


def gap_yardstick(
    con: duckdb.DuckDBPyConnection, framework: Framework, in_year: Filters, today: date | None = None
) -> pd.Series:
    """The typical place's activities per 100,000 people for each aim (by aim code): the middle of all the
    partnership's places, whatever the place filter (the other filters and the period kept, so like is compared
    with like). The thin rule's yardstick, for the gap list, the board pack and Where you fit alike."""
    everywhere = replace(in_year, places=())
    cells = heatmap(con, framework, everywhere, rows="place", columns="aim", today=today)
    population = need_by_place(con, everywhere.as_of(today))[["place_code", "population"]]
    cells = cells.merge(population, left_on="row_code", right_on="place_code", how="inner")
    return (cells.activities / cells.population * 100_000).groupby(cells.column_code).median()


def gap_kinds(cells: pd.DataFrame, yardstick: pd.Series) -> tuple[pd.Series, pd.Series]:
    """The gap rule on place x aim cells (columns activities, population, column_code): each cell's kind ('none',
    'thin' or None) and the typical place's activities per 100,000 for its aim (the yardstick, by aim code: see
    gap_yardstick); adds per_100k to cells."""
    cells["per_100k"] = cells.activities / cells.population * 100_000
    typical = cells.column_code.map(yardstick).astype(float)
    kind = pd.Series(None, index=cells.index, dtype=object)
    kind[(cells.activities > 0) & ((cells.activities < THIN_CELL) | (cells.per_100k < typical / 4))] = "thin"
    kind[cells.activities == 0] = "none"
    return kind, typical


def _gap_reason(row, year: int, england: tuple[str, float] | None) -> str:
    aim = row.column_label
    if row.kind == "none":
        sentence = f"No activity in {row.row_label} addresses aim {aim} in {year}"
    else:
        word = "activity" if row.activities == 1 else "activities"
        sentence = (
            f"Only {row.activities} {word} in {row.row_label} address aim {aim} in {year} "
            f"({row.per_100k:.1f} per 100,000 people)"
        )
    if pd.notna(row.inactive_pct):
        sentence += f"; {row.inactive_pct:.1f}% of adults there are inactive"
        if england:
            sentence += f" (England {england[1]:.1f}%, {england[0]})"
        if isinstance(row.comparison_source, str):
            sentence += ", " + comparison_phrase(row.compared_to_england, row.comparison_source)
    return sentence + "."
