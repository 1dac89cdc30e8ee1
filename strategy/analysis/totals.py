"""The headline questions: totals for a view, the investment in words, the places a view covers, what data there
is and whose."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from strategy import db
from strategy.filters import Filters
from strategy.framework import Framework


def headline_totals(
    con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters, *, today: date | None = None
) -> dict:
    """Activities, partners, places reached, investment and participants for the filters (money and participants:
    each activity's share in the chosen places and period; today: see periods.today())."""
    row = db.query(con, "headline_totals", **filters.sql_parameters(framework, today)).astype(object).iloc[0]
    totals = {key: (0 if pd.isna(value) else value) for key, value in row.items()}
    for key in (
        "activities",
        "partners",
        "places_reached",
        "activities_with_investment",
        "activities_with_participants",
    ):
        totals[key] = int(totals[key])
    totals["investment"], totals["participants"] = float(totals["investment"]), float(totals["participants"])
    return totals


def investment_words(amount: float, filters: Filters) -> str:
    """The headline investment and what it is, for the filters: '£1,234 in total', or with a place filter
    '£1,234: these places' share of ...' (apportioned by population); with a period, the part of each run in it."""
    if filters.places:
        text = (
            f"£{amount:,.0f}: these places' share of the investment of the activities that reach them "
            "(apportioned by population)"
        )
    else:
        text = f"£{amount:,.0f} in total"
    if filters.date_from or filters.date_to:
        text += f", the part of each activity's run in {filters.describe_period()}"
    return text


def places_in_view(framework: Framework, filters: Filters) -> int:
    """The places a view covers: those in the place filter, else every local place ('8 of 8' for Derbyshire)."""
    return len(filters.local_places(framework)) or len(framework.local_places())


def data_coverage(con: duckdb.DuckDBPyConnection) -> dict:
    """Dataset kind (demo, real or empty), date range, uploads and 'as of' date."""
    row = db.query(con, "data_coverage").astype(object).iloc[0]
    return {key: (None if pd.isna(value) else value) for key, value in row.items()}


def partner_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return db.query(con, "partner_names").name.tolist()
