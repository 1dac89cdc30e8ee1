"""The place questions: need (inactive adults) against effort per head, and each place's profile."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import pandas as pd

from strategy import db
from strategy.analysis.common import YARDSTICK_COLUMNS
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.indicators.trends import indicator_comparisons
from strategy.rounding import per_head_rounded, rounded_parts


def high_need_low_effort(table: pd.DataFrame, effort: str = "investment_per_head") -> pd.Series:
    """Places with more inactive adults than the partnership's middle place and less effort (investment per head
    or activities per 100,000 people) than its middle place: need_vs_effort's rule, for either effort measure."""
    return (table.inactive_pct > table.typical_inactive_pct) & (table[effort] < table[f"typical_{effort}"])


def need_by_place(con: duckdb.DuckDBPyConnection, day: date | None = None) -> pd.DataFrame:
    """Population, latest inactive-adults % and IMD score of every local place that existed on a day (today)."""
    return db.query(con, "need_by_place", day=day)


def benchmark_value(
    con: duckdb.DuckDBPyConnection, framework: Framework, indicator_id: str
) -> tuple[str, float] | None:
    """England's latest (period, value) for an indicator."""
    found = db.query(con, "latest_indicator_value", indicator_id=indicator_id, place_code=framework.benchmark)
    return (found.period[0], float(found.value[0])) if len(found) else None


def need_vs_effort(
    con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters, *, today: date | None = None
) -> pd.DataFrame:
    """Per place: need (inactive adults with its comparison with England, IMD) against effort (investment per head,
    activities per 100,000).

    The yardstick is the whole partnership's, whatever the place filter: a place is flagged high need / low
    effort when its inactive share is above the middle place's and its investment per head is below the middle
    place's, the middle taken over all the partnership's places (with the same sector, aim, way, theme, partner
    and period filters, so like is compared with like). A place is flagged the same with or without a place
    filter; the typical values are in the typical_* columns, for the chart's dotted lines.
    """
    day = filters.as_of(today)  # the places of the view's day, as in every per-place view
    need = need_by_place(con, day)
    need = need[need.place_code.isin([p.code for p in framework.local_places(day)])]
    need = need.merge(inactive_comparisons(con, framework), on=["place_code", "inactive_period"], how="left")
    # the whole partnership's effort: the yardstick does not move with the place filter
    effort = db.query(con, "effort_by_place", **replace(filters, places=()).sql_parameters(framework, today))
    table = need.merge(effort, on="place_code", how="left")
    table[["activities", "investment", "participants"]] = table[["activities", "investment", "participants"]].fillna(0)
    table["investment_per_head"] = table.investment / table.population
    table["activities_per_100k"] = table.activities / table.population * 100_000
    for column in YARDSTICK_COLUMNS:
        table[f"typical_{column}"] = table[column].median()
    table["high_need_low_effort"] = high_need_low_effort(table)
    chosen = filters.local_places(framework)
    if chosen:
        table = table[table.place_code.isin(chosen)]
    return table.reset_index(drop=True)


PLACE_SUMMARY_COLUMNS = {
    "place_name": "Place",
    "investment": "Investment (£)",
    "participants": "Participants (attendances)",
    "investment_per_head": "Investment per head (£)",
}


def place_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per place money and participants, rounded so the rows add to the Total row (largest remainder), with
    investment per head to one decimal under £10. The table of need_vs_effort in; one row per place and a
    'Total' row out, for pages, packs and exports alike."""
    summary = pd.DataFrame({"Place": table.place_name.to_numpy()})
    for column in ("investment", "participants"):
        summary[PLACE_SUMMARY_COLUMNS[column]] = rounded_parts(table[column].astype(float))
    summary[PLACE_SUMMARY_COLUMNS["investment_per_head"]] = [per_head_rounded(v) for v in table.investment_per_head]
    total_per_head = table.investment.sum() / table.population.sum() if len(table) else float("nan")
    total = {
        "Place": "Total",
        PLACE_SUMMARY_COLUMNS["investment"]: round(float(table.investment.sum())),
        PLACE_SUMMARY_COLUMNS["participants"]: round(float(table.participants.sum())),
        PLACE_SUMMARY_COLUMNS["investment_per_head"]: per_head_rounded(total_per_head),
    }
    return pd.concat([summary, pd.DataFrame([total])], ignore_index=True)


def place_table(table: pd.DataFrame, measure: str, label: str) -> pd.DataFrame:
    """One measure per place, largest first, as a reader should see it: money and participants rounded so the
    places add to the total (with a Total row), per-head money to one decimal under £10, rates to one decimal."""
    if measure in ("investment", "participants", "activities"):
        shown = pd.DataFrame({"Place": table.place_name, label: rounded_parts(table[measure].astype(float))})
        shown = shown.sort_values(label, ascending=False)
        if measure != "activities":  # an activity reaching two places counts in both, so activities have no total
            shown = pd.concat([shown, pd.DataFrame([{"Place": "Total", label: round(float(table[measure].sum()))}])])
        return shown.reset_index(drop=True)
    values = (
        [per_head_rounded(v) for v in table[measure]] if measure == "investment_per_head" else table[measure].round(1)
    )
    return (
        pd.DataFrame({"Place": table.place_name, label: values})
        .sort_values(label, ascending=False)
        .reset_index(drop=True)
    )


def inactive_comparisons(con: duckdb.DuckDBPyConnection, framework: Framework) -> pd.DataFrame:
    """Each place's comparison with England for inactive adults (93015) in each period, and where it came from."""
    return indicator_comparisons(con, framework, "93015").rename(columns={"period": "inactive_period"})
