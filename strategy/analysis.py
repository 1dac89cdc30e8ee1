"""The questions the dashboard answers, as DataFrames: totals, heatmaps, gaps, need against effort."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import duckdb
import pandas as pd

from strategy import db, periods
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.indicators.trends import comparison_phrase, indicator_comparisons
from strategy.rounding import per_head_rounded, rounded_parts

DIMENSIONS = ("aim", "way", "theme", "place", "sector")
DIMENSION_NAMES = {"aim": "Aim", "way": "Way of working", "theme": "Theme", "place": "Place", "sector": "Sector"}
# Participants are attendances as partners count them (a person at ten sessions may count ten times), never
# unique people: every label of them says so.
MEASURES = {"activities": "Activities", "investment": "Investment (£)", "participants": "Participants (attendances)"}
ATTENDANCES_NOTE = "Participants are attendances as partners report them, not unique people."
# A cell with activity but fewer than this many activities is "thin" and flagged as such.
THIN_CELL = 3
# Need against effort is judged against the middle of all the partnership's places, on these columns.
YARDSTICK_COLUMNS = ("inactive_pct", "investment_per_head", "activities_per_100k")
# The thin rule in words, for the gap list's captions on pages and slides (the rule: gap_kinds, gap_yardstick).
THIN_RULE = (
    f"Thin: fewer than {THIN_CELL} activities, or under a quarter of the typical place's activities per "
    "100,000 people for that aim, the typical place being the middle of all the partnership's places, "
    "whatever the place filter."
)
YARDSTICK_NOTE = (
    "'Typical' (the dotted lines) is the middle of all the partnership's places, whatever the place "
    "filter, so a place is judged the same in every view."
)


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


def high_need_low_effort(table: pd.DataFrame, effort: str = "investment_per_head") -> pd.Series:
    """Places with more inactive adults than the partnership's middle place and less effort (investment per head
    or activities per 100,000 people) than its middle place: need_vs_effort's rule, for either effort measure."""
    return (table.inactive_pct > table.typical_inactive_pct) & (table[effort] < table[f"typical_{effort}"])


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
    need = need.merge(_inactive_comparisons(con, framework), on=["place_code", "inactive_period"], how="left")
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
    need = need.merge(_inactive_comparisons(con, framework), on=["place_code", "inactive_period"], how="left")
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


def _inactive_comparisons(con: duckdb.DuckDBPyConnection, framework: Framework) -> pd.DataFrame:
    """Each place's comparison with England for inactive adults (93015) in each period, and where it came from."""
    return indicator_comparisons(con, framework, "93015").rename(columns={"period": "inactive_period"})


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


def data_coverage(con: duckdb.DuckDBPyConnection) -> dict:
    """Dataset kind (demo, real or empty), date range, uploads and 'as of' date."""
    row = db.query(con, "data_coverage").astype(object).iloc[0]
    return {key: (None if pd.isna(value) else value) for key, value in row.items()}


def partner_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    return db.query(con, "partner_names").name.tolist()
