"""What the partner sees of a checked file: a preview with the codes each name matched, the problems in order,
and a copy of their own file with a 'problems' column added (formula-safe)."""

from __future__ import annotations

import csv
import io
from pathlib import PurePath

import duckdb
import numpy as np
import pandas as pd

from strategy.exports import excel_bytes, formula_safe
from strategy.ingest.cells import TRIM
from strategy.ingest.read import RawTable
from strategy.ingest.report import PROBLEMS_KEPT, Problem

PREVIEW_ROWS = 200


def problems_in_order(cursor: duckdb.DuckDBPyConnection) -> tuple[list[Problem], int]:
    """The first PROBLEMS_KEPT problems by row and the total count."""
    total = cursor.execute("SELECT count(*) FROM problems").fetchall()[0][0]
    rows = cursor.execute(
        "SELECT row_number, column_name, coalesce(value, ''), message, kind FROM problems "
        f"ORDER BY row_number, column_name LIMIT {PROBLEMS_KEPT}"
    ).fetchall()
    return [Problem(*row) for row in rows], total


def preview(cursor: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The first rows as they will be stored, each list shown as 'what you wrote -> code(s)'."""
    return cursor.execute(f"""
        WITH first_rows AS (SELECT * FROM typed ORDER BY row_number LIMIT {PREVIEW_ROWS}),
        matched AS (
            SELECT f.row_number, c.kind, string_agg(c.shown || ' → ' || c.codes, '; ' ORDER BY c.shown) AS shown,
                   list(struct_pack(written := c.shown, codes := c.code_list) ORDER BY c.shown) AS pairs
            FROM first_rows f JOIN staged s USING (row_number)
            JOIN (SELECT column_name, kind, cell, shown, string_agg(code, ', ' ORDER BY code) AS codes,
                         list(code ORDER BY code) AS code_list
                  FROM cell_codes GROUP BY ALL) c
              ON c.cell = CASE c.column_name WHEN 'places' THEN s.places WHEN 'aims' THEN s.aims
                                             WHEN 'ways_of_working' THEN s.ways_of_working ELSE s.themes END
            GROUP BY f.row_number, c.kind),
        ticked AS (SELECT row_number, kind, array_to_string(codes, ', ') AS codes, codes AS code_list FROM (
                       SELECT row_number, 'aim' AS kind, mask_codes(aim_mask, 'A') AS codes FROM first_rows
                       UNION ALL SELECT row_number, 'way', mask_codes(way_mask, 'W') FROM first_rows
                       UNION ALL SELECT row_number, 'theme', mask_codes(theme_mask, 'T') FROM first_rows)
                   WHERE len(codes) > 0)
        SELECT t.row_number AS "row", t.activity_id, t.title, trim(s.sector, '{TRIM}') || ' → ' || t.sector AS sector,
               coalesce(mp.shown, '') AS places, coalesce(ma.shown, 'ticked: ' || ta.codes, '') AS aims,
               coalesce(mw.shown, 'ticked: ' || tw.codes, '') AS ways_of_working,
               coalesce(mt.shown, 'ticked: ' || tt.codes, '') AS themes,
               t.start_date, t.end_date, t.status, CAST(t.participants_number AS BIGINT) AS participants,
               CAST(round(t.investment_number, 2) AS DOUBLE) AS investment_gbp,
               array_to_string(t.target_groups, '; ') AS target_groups, t.description,
               trim(s.sector, '{TRIM}') AS sector_written, t.sector AS sector_code,
               mp.pairs AS places_pairs, ma.pairs AS aims_pairs, mw.pairs AS ways_of_working_pairs,
               mt.pairs AS themes_pairs, ta.code_list AS aims_ticked, tw.code_list AS ways_of_working_ticked,
               tt.code_list AS themes_ticked
        FROM first_rows t JOIN staged s USING (row_number)
        LEFT JOIN matched mp ON mp.row_number = t.row_number AND mp.kind = 'place'
        LEFT JOIN matched ma ON ma.row_number = t.row_number AND ma.kind = 'aim'
        LEFT JOIN matched mw ON mw.row_number = t.row_number AND mw.kind = 'way'
        LEFT JOIN matched mt ON mt.row_number = t.row_number AND mt.kind = 'theme'
        LEFT JOIN ticked ta ON ta.row_number = t.row_number AND ta.kind = 'aim'
        LEFT JOIN ticked tw ON tw.row_number = t.row_number AND tw.kind = 'way'
        LEFT JOIN ticked tt ON tt.row_number = t.row_number AND tt.kind = 'theme'
        ORDER BY t.row_number""").df()


def annotated_file(
    cursor: duckdb.DuckDBPyConnection, raw: RawTable, file_name: str, kind: str, delimiter: str | None
) -> tuple[bytes, str]:
    """The partner's own rows with a 'problems' column saying what to fix in each; (bytes, file name)."""
    raw.raw_cells(cursor)
    columns = ", ".join(raw.columns)
    table = cursor.execute(
        f"""
        SELECT r.row_number, {columns}, coalesce(p.text, '') AS problems FROM raw_cells r
        LEFT JOIN (SELECT row_number, string_agg(column_name || ' ''' || coalesce(value, '') || ''': ' || message,
                                                 ' | ' ORDER BY column_name) AS text
                   FROM problems GROUP BY row_number) p USING (row_number)
        WHERE r.row_number >= $header ORDER BY r.row_number""",
        {"header": raw.header_row},
    ).df()
    table.loc[table.row_number == raw.header_row, "problems"] = "problems"
    body = table.drop(columns="row_number")
    stem = PurePath(file_name or "activities").stem
    if kind == "xlsx":
        # text stays text exactly as the partner wrote it, so the fixed file can be uploaded again unchanged
        return excel_bytes({"Activities": body}, header=False), f"{stem}-problems.xlsx"
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter or ",", lineterminator="\r\n")
    for row in body.itertuples(index=False):
        writer.writerow(["" if pd.isna(v) else formula_safe(v) for v in row])
    return text.getvalue().encode("utf-8-sig"), f"{stem}-problems.csv"


# What the page shows of a checked file, in the partner's words. Codes stay in the stored data and in each
# column's help (shown on hover over the column heading).
LIST_COLUMNS = {"places": "place", "aims": "aim", "ways_of_working": "way", "themes": "theme"}
FILE_KINDS = {
    "UTF-8": "CSV (UTF-8)",
    "UTF-8 with BOM": "Excel CSV UTF-8",
    "Windows-1252": "Excel CSV (Windows)",
    "UTF-16": "Excel Unicode Text",
    "UTF-32": "Unicode text (UTF-32)",
}
SEPARATORS = {"comma": "commas", "semicolon": "semicolons", "tab": "tabs"}
CODES_IN_HELP = 40


def problem_tables(problems: list[Problem]) -> list[tuple[str, pd.DataFrame]]:
    """The problems grouped by kind, first-seen order, each a table whose first column is the spreadsheet row.

    The row is an ordinary column (never the index): an index of evenly spaced rows (2, 3, 4) is a range index to
    pandas, which tables hide as if it were only a position. Row 0 (the file as a whole) reads "whole file"."""
    groups: dict[str, list[dict]] = {}
    for problem in problems:
        groups.setdefault(problem.kind, []).append(
            {
                "row": str(problem.row) if problem.row else "whole file",
                "column": problem.column,
                "value": problem.value,
                "what is wrong and how to fix it": problem.message,
            }
        )
    return [
        (kind, pd.DataFrame(rows, columns=["row", "column", "value", "what is wrong and how to fix it"]))
        for kind, rows in groups.items()
    ]


def read_as(assumed: dict) -> str:
    """How the file was read, in plain words: 'Excel CSV (Windows), separated by commas; dates written ...'."""
    if assumed.get("file_type") == "XLSX":
        parts = ["Excel workbook"]
    else:
        kind = FILE_KINDS.get(assumed.get("encoding") or "", assumed.get("encoding") or "CSV")
        separator = SEPARATORS.get(assumed.get("delimiter") or "")
        parts = [kind + (f", separated by {separator}" if separator else "")]
    formats = assumed.get("date_formats") or {}
    if formats:
        parts.append("dates written " + ", ".join(f"{written} ({count:,})" for written, count in formats.items()))
    if assumed.get("tick_box_columns"):
        parts.append("tick-box columns for " + ", ".join(assumed["tick_box_columns"]))
    return "; ".join(parts)


def _name(framework, kind: str, code: str) -> str:
    try:
        return framework.label(kind, code)
    except StopIteration:
        return code


def _written(framework, kind: str, written: str, codes: list[str]) -> str:
    """One piece as the partner wrote it, with the strategy's name(s) after an arrow when they differ."""
    names = [_name(framework, kind, code) for code in codes]
    if kind == "place" and len(codes) > 1:
        matched = [p for p in framework.places if p.name.casefold() == written.casefold()]
        if matched:
            return f"{written} (all {len(codes)} districts)"
        return f"{written} → {len(codes)} places: " + ", ".join(names)
    if [n.casefold() for n in names] == [written.casefold()]:
        return written
    return f"{written} → " + ", ".join(names)


def partner_preview(table: pd.DataFrame, framework) -> tuple[pd.DataFrame, dict[str, str]]:
    """The preview as the partner wrote it, with the strategy's names where they differ: (table, help for each
    column naming the codes stored)."""
    shown = table.copy()
    codes_seen: dict[str, dict[str, str]] = {column: {} for column in [*LIST_COLUMNS, "sector"]}
    for column, kind in LIST_COLUMNS.items():
        values = []
        ticks = table[f"{column}_ticked"] if f"{column}_ticked" in table else [None] * len(table)
        for pairs, ticked in zip(table[f"{column}_pairs"], ticks):
            if isinstance(pairs, (list, tuple, np.ndarray)) and len(pairs):
                values.append("; ".join(_written(framework, kind, p["written"], list(p["codes"])) for p in pairs))
                codes = [code for p in pairs for code in p["codes"]]
            elif isinstance(ticked, (list, tuple, np.ndarray)) and len(ticked):
                codes = list(ticked)
                values.append("ticked: " + "; ".join(_name(framework, kind, code) for code in codes))
            else:
                codes = []
                values.append("")
            codes_seen[column].update({code: _name(framework, kind, code) for code in codes})
        shown[column] = values
    shown["sector"] = [
        written
        if _name(framework, "sector", code).casefold() == str(written).casefold()
        else f"{written} → {_name(framework, 'sector', code)}"
        for written, code in zip(table["sector_written"], table["sector_code"])
    ]
    codes_seen["sector"] = {code: _name(framework, "sector", code) for code in table["sector_code"].dropna()}
    shown = shown.drop(
        columns=[c for c in shown.columns if c.endswith(("_pairs", "_ticked"))] + ["sector_written", "sector_code"]
    )
    helps = {}
    for column, codes in codes_seen.items():
        listed = sorted(codes.items())
        words = "; ".join(f"{code} = {name}" for code, name in listed[:CODES_IN_HELP])
        more = f"; and {len(listed) - CODES_IN_HELP:,} more" if len(listed) > CODES_IN_HELP else ""
        what = "ONS codes" if column == "places" else "codes"
        helps[column] = f"As you wrote it, with the strategy's name after → where it differs. Stored as {what}" + (
            f": {words}{more}." if words else "."
        )
    return shown, helps
