"""The heatmap questions: activity by one dimension against another, its summary, and the activities in one cell."""

from __future__ import annotations

from datetime import date

import duckdb
import pandas as pd

from strategy import db
from strategy.analysis.common import DIMENSION_NAMES, DIMENSIONS, MEASURES
from strategy.filters import Filters
from strategy.framework import Framework


def dimension_codes(framework: Framework, dimension: str, filters: Filters | None = None) -> list[tuple[str, str]]:
    """(code, label) of a dimension in the strategy's order; places limited to the place filter and taken on the
    view's day (the end of its period, else today), so a place replaced by then shows as its successor."""
    if dimension == "place":
        chosen = filters.local_places(framework) if filters else ()
        day = filters.as_of() if filters else None
        return [(p.code, p.name) for p in framework.local_places(day) if not chosen or p.code in chosen]
    return [(item.code, framework.label(dimension, item.code)) for item in framework.items(dimension)]


def heatmap(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    filters: Filters,
    rows: str = "aim",
    columns: str = "way",
    *,
    today: date | None = None,
) -> pd.DataFrame:
    """Every (row, column) cell with its activities, investment and participants, zeros included."""
    if rows not in DIMENSIONS or columns not in DIMENSIONS or rows == columns:
        raise ValueError(f"rows and columns must be two different dimensions of {', '.join(DIMENSIONS)}")
    cells = db.query(
        con, "heatmap_cells", row_dimension=rows, column_dimension=columns, **filters.sql_parameters(framework, today)
    )
    grid = pd.MultiIndex.from_product(
        [
            [c for c, _ in dimension_codes(framework, rows, filters)],
            [c for c, _ in dimension_codes(framework, columns, filters)],
        ],
        names=["row_code", "column_code"],
    ).to_frame(index=False)
    full = grid.merge(cells, on=["row_code", "column_code"], how="left")
    full[["activities", "investment", "participants"]] = full[["activities", "investment", "participants"]].fillna(0)
    full["activities"] = full["activities"].astype(int)
    row_labels = dict(dimension_codes(framework, rows, filters))
    column_labels = dict(dimension_codes(framework, columns, filters))
    full["row_label"] = full.row_code.map(row_labels)
    full["column_label"] = full.column_code.map(column_labels)
    # the strategy's full wording beside each short label, for hover text
    full["row_wording"] = full.row_code.map(lambda c: framework.wording(rows, c))
    full["column_wording"] = full.column_code.map(lambda c: framework.wording(columns, c))
    full.attrs.update(rows=rows, columns=columns)
    return full


def heatmap_matrix(cells: pd.DataFrame, measure: str) -> pd.DataFrame:
    """The cells as a row x column table of one measure, in framework order."""
    matrix = cells.pivot(index="row_label", columns="column_label", values=measure)
    return matrix.loc[list(dict.fromkeys(cells.row_label)), list(dict.fromkeys(cells.column_label))]


def heatmap_list(cells: pd.DataFrame, rows: str, columns: str, measure: str) -> pd.DataFrame:
    """The heatmap's cells as a list for a narrow screen: the measure (first, so a phone shows it), row and column,
    largest first (ties in the heatmap's own order); empty cells last, with 0."""
    listed = pd.DataFrame(
        {
            MEASURES[measure]: cells[measure].fillna(0).to_numpy(),  # first: seen on a phone
            DIMENSION_NAMES[rows]: cells.row_label.astype(str).to_numpy(),
            DIMENSION_NAMES[columns]: cells.column_label.astype(str).to_numpy(),
        }
    )
    return listed.sort_values(MEASURES[measure], ascending=False, kind="stable").reset_index(drop=True)


def heatmap_summary(cells: pd.DataFrame, measure: str) -> str:
    """One plain-English sentence on the heatmap: the strongest and weakest cells."""
    if cells[measure].sum() == 0:
        return "No activities match these filters."
    top = cells.loc[cells[measure].idxmax()]
    empty = cells[cells.activities == 0]
    low = cells.loc[cells[measure].idxmin()]
    strongest = f"The strongest cell is {top.row_label} x {top.column_label} ({format_measure(top[measure], measure)})."
    if len(empty):
        return (
            f"{strongest} {len(empty)} of {len(cells)} cells have no activity at all, including "
            f"{low.row_label} x {low.column_label}."
        )
    return f"{strongest} The weakest is {low.row_label} x {low.column_label} ({format_measure(low[measure], measure)})."


def aim_balance_summary(by_aim: pd.DataFrame, place_name: str) -> str:
    """One sentence on which aims a place's activities address most and least."""
    if by_aim.activities.sum() == 0:
        return f"No activities reach {place_name} with these filters."
    most = by_aim.loc[by_aim.activities.idxmax()]
    least = by_aim.loc[by_aim.activities.idxmin()]
    return (
        f"In {place_name}, {most.aim} is addressed most ({most.activities:,} activities) and "
        f"{least.aim} least ({least.activities:,})."
    )


def format_measure(value: float, measure: str) -> str:
    if measure == "investment":
        return f"£{value:,.0f}"
    if measure == "activities":
        return f"{value:,.0f} {'activity' if value == 1 else 'activities'}"
    return f"{value:,.0f}"


# The most activities the drill-down lists; its total is still the whole cell's.
CELL_ROWS_SHOWN = 500
CELL_TOTAL_COLUMNS = (
    "cell_activities",
    "cell_investment",
    "cell_participants",
    "cell_investment_whole",
    "cell_participants_whole",
)


def activities_in_cell(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    filters: Filters,
    rows: str,
    row_code: str,
    columns: str,
    column_code: str,
    *,
    today: date | None = None,
) -> pd.DataFrame:
    """The activities behind one heatmap cell (at most CELL_ROWS_SHOWN, newest first), each with its whole
    investment and participants and the part that counts in this cell (investment_in_cell, participants_in_cell:
    share_in_cell = place share x period share). Every row also carries the cell's own figures over all its
    activities (CELL_TOTAL_COLUMNS); cell_total() reads them."""
    found = db.query(
        con,
        "activities_in_cell",
        row_dimension=rows,
        row_code=row_code,
        column_dimension=columns,
        column_code=column_code,
        **filters.sql_parameters(framework, today),
    )
    found["sector"] = found.sector.map(lambda c: framework.label("sector", c))
    return found


def cell_total(behind) -> dict:
    """The cell's own figures from activities_in_cell()'s answer (a DataFrame or an Arrow table): activities (all
    of them, not only those listed), shown (how many are listed), investment and participants (what the cell
    shows), and investment_whole and participants_whole (the same activities' whole amounts)."""
    first = behind.slice(0, 1).to_pandas() if hasattr(behind, "slice") else behind.head(1)
    if len(first) == 0:
        return {
            "activities": 0,
            "shown": 0,
            "investment": 0.0,
            "participants": 0.0,
            "investment_whole": 0.0,
            "participants_whole": 0.0,
        }
    row = first.iloc[0]
    return {
        "activities": int(row.cell_activities),
        "shown": len(behind),
        "investment": float(row.cell_investment),
        "participants": float(row.cell_participants),
        "investment_whole": float(row.cell_investment_whole),
        "participants_whole": float(row.cell_participants_whole),
    }
