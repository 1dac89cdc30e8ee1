"""What the partner sees of a checked file: a preview with the codes each name matched, the problems in order,
and a copy of their own file with a 'problems' column added (formula-safe)."""

from __future__ import annotations

import csv
import io
from pathlib import PurePath

import duckdb
import pandas as pd

from strategy.exports import excel_bytes, formula_safe
from strategy.ingest.read import RawTable
from strategy.ingest.report import PROBLEMS_KEPT, Problem
from strategy.ingest.validate import TRIM

PREVIEW_ROWS = 200


def problems_in_order(cursor: duckdb.DuckDBPyConnection) -> tuple[list[Problem], int]:
    """The first PROBLEMS_KEPT problems by row and the total count."""
    total = cursor.execute("SELECT count(*) FROM problems").fetchall()[0][0]
    rows = cursor.execute("SELECT row_number, column_name, coalesce(value, ''), message, kind FROM problems "
                          f"ORDER BY row_number, column_name LIMIT {PROBLEMS_KEPT}").fetchall()
    return [Problem(*row) for row in rows], total


def preview(cursor: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The first rows as they will be stored, each list shown as 'what you wrote -> code(s)'."""
    return cursor.execute(f"""
        WITH first_rows AS (SELECT * FROM typed ORDER BY row_number LIMIT {PREVIEW_ROWS}),
        matched AS (
            SELECT f.row_number, c.kind, string_agg(c.shown || ' → ' || c.codes, '; ' ORDER BY c.shown) AS shown
            FROM first_rows f JOIN staged s USING (row_number)
            JOIN (SELECT column_name, kind, cell, shown, string_agg(code, ', ' ORDER BY code) AS codes
                  FROM cell_codes GROUP BY ALL) c
              ON c.cell = CASE c.column_name WHEN 'places' THEN s.places WHEN 'aims' THEN s.aims
                                             WHEN 'ways_of_working' THEN s.ways_of_working ELSE s.themes END
            GROUP BY f.row_number, c.kind),
        ticked AS (SELECT row_number, kind, array_to_string(codes, ', ') AS codes FROM (
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
               array_to_string(t.target_groups, '; ') AS target_groups, t.description
        FROM first_rows t JOIN staged s USING (row_number)
        LEFT JOIN matched mp ON mp.row_number = t.row_number AND mp.kind = 'place'
        LEFT JOIN matched ma ON ma.row_number = t.row_number AND ma.kind = 'aim'
        LEFT JOIN matched mw ON mw.row_number = t.row_number AND mw.kind = 'way'
        LEFT JOIN matched mt ON mt.row_number = t.row_number AND mt.kind = 'theme'
        LEFT JOIN ticked ta ON ta.row_number = t.row_number AND ta.kind = 'aim'
        LEFT JOIN ticked tw ON tw.row_number = t.row_number AND tw.kind = 'way'
        LEFT JOIN ticked tt ON tt.row_number = t.row_number AND tt.kind = 'theme'
        ORDER BY t.row_number""").df()


def annotated_file(cursor: duckdb.DuckDBPyConnection, raw: RawTable, file_name: str, kind: str,
                   delimiter: str | None) -> tuple[bytes, str]:
    """The partner's own rows with a 'problems' column saying what to fix in each; (bytes, file name)."""
    raw.raw_cells(cursor)
    columns = ", ".join(raw.columns)
    table = cursor.execute(f"""
        SELECT r.row_number, {columns}, coalesce(p.text, '') AS problems FROM raw_cells r
        LEFT JOIN (SELECT row_number, string_agg(column_name || ' ''' || coalesce(value, '') || ''': ' || message,
                                                 ' | ' ORDER BY column_name) AS text
                   FROM problems GROUP BY row_number) p USING (row_number)
        WHERE r.row_number >= $header ORDER BY r.row_number""", {"header": raw.header_row}).df()
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
