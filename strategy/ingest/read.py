"""Decoded file to a raw table of strings in DuckDB (temporary table raw_cells), with spreadsheet row numbers.

Every cell is read as text, so nothing is converted before it is checked; trailing empty rows and columns
that spreadsheets leave behind are dropped here.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

import duckdb
import pandas as pd

from strategy.ingest.columns import match_header
from strategy.ingest.decode import SAVE_AS_CSV, DecodedFile, reject
from strategy.ingest.report import FileRejected, Limits, Problem

HEADER_SEARCH_ROWS = 10  # a title or note above the headers is skipped if the headers are within this many rows


@dataclass(frozen=True)
class RawTable:
    """The raw_cells table's shape: its text columns c0..cN, the header row and its cells."""

    columns: tuple[str, ...]
    header_row: int
    headers: tuple[str, ...]
    data_rows: int


def read_raw_table(cursor: duckdb.DuckDBPyConnection, decoded: DecodedFile, data: bytes, limits: Limits) -> RawTable:
    """Fill the temporary table raw_cells(row_number, c0, c1, ...) from a CSV or XLSX file; its shape."""
    if decoded.kind == "xlsx":
        _xlsx_to_raw_cells(cursor, data, limits)
    else:
        _csv_to_raw_cells(cursor, decoded)
    columns = tuple(name for name, *_ in cursor.execute("DESCRIBE raw_cells").fetchall() if name != "row_number")
    return _find_header(cursor, columns)


def _csv_to_raw_cells(cursor: duckdb.DuckDBPyConnection, decoded: DecodedFile) -> None:
    # DuckDB reads the text far faster than Python's csv module. Its sniffer is fragile on ragged files, so the
    # width comes from the first rows and strict mode makes a longer row an error, never a silently cut one.
    width = _column_count(decoded)
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width)) + "}"
    path = _scratch_copy(decoded.utf8)
    try:
        try:
            _read_csv(cursor, path, columns, decoded.delimiter)
        except (duckdb.InvalidInputException, duckdb.ConversionException) as problem:
            line = _line_of(str(problem))
            where = f" (line {line} of the file)" if line else ""
            if "Expected Number of Columns" in str(problem):
                reason = (f"A row{where} has more cells than the header row. Give every column a header, or "
                          "remove the extra cells (often a stray comma or semicolon).")
            else:
                reason = (f"The file could not be read as a CSV{where}: usually a cell that opens a quote (\") "
                          "and never closes it. Check that line, or " + SAVE_AS_CSV[0].lower() + SAVE_AS_CSV[1:])
            raise reject(reason, "unreadable file") from None
    finally:
        os.unlink(path)
    # rowid follows the file's order (insertion order is preserved), so it numbers records as a spreadsheet does.
    cursor.execute("CREATE OR REPLACE TEMP VIEW raw_cells AS SELECT CAST(rowid + 1 AS INTEGER) AS row_number, "
                   + ", ".join(f"c{i}" for i in range(width)) + " FROM raw_csv")


MEMORY_FOLDER = "/dev/shm"


def _scratch_copy(text: bytes | memoryview) -> str:
    """The path of a temporary copy of the text for DuckDB to read: in memory-backed /dev/shm where there is room
    (a disk-backed copy of a large file was a tenth of the import's time), else in the temporary folder."""
    if os.path.isdir(MEMORY_FOLDER) and os.access(MEMORY_FOLDER, os.W_OK):
        try:
            return _temporary_file(text, MEMORY_FOLDER)
        except OSError:  # too small (a container's default is 64 MB)
            pass
    return _temporary_file(text, None)


def _temporary_file(text: bytes | memoryview, folder: str | None) -> str:
    handle, path = tempfile.mkstemp(prefix="strategy-upload-", suffix=".csv", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text)
    except OSError:
        os.unlink(path)
        raise
    return path


def _read_csv(cursor: duckdb.DuckDBPyConnection, path: str, columns: str, delimiter: str) -> None:
    """raw_csv from the file: with the parallel reader when it can read the file, else the one-thread reader.

    The parallel reader refuses (never misreads) quoted newlines together with short rows, and is stricter about
    a quote left open; the one-thread reader reads those, and its errors are the ones reported.
    """
    for parallel in ("true", "false"):
        try:
            cursor.execute(
                f"CREATE OR REPLACE TEMP TABLE raw_csv AS SELECT * FROM read_csv($path, auto_detect = false, "
                f"columns = {columns}, header = false, null_padding = true, parallel = {parallel}, "
                "strict_mode = true, delim = $delim, quote = '\"', escape = '\"')", {"path": path, "delim": delimiter})
            return
        except duckdb.Error:
            if parallel == "false":
                raise


def _column_count(decoded: DecodedFile, sample_bytes: int = 1 << 20, sample_rows: int = 2000) -> int:
    """The most cells in any of the first rows (read with Python's csv module, which is exact)."""
    sample = bytes(decoded.utf8[:sample_bytes]).decode("utf-8", errors="ignore")
    widest = 1
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(sample), delimiter=decoded.delimiter)):
            widest = max(widest, len(cells))
            if number >= sample_rows:
                break
    except csv.Error:
        pass  # a sample cut inside a quoted cell: the rows read so far are enough
    return widest


def _line_of(message: str) -> int | None:
    for part in message.split("Line: ")[1:]:
        digits = part.split()[0].strip(".,")
        if digits.isdigit():
            return int(digits)
    return None


def cell_text(value: object) -> str | None:
    """An Excel cell as the text a partner sees: dates as YYYY-MM-DD, 12.0 as 12, empty as None."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time(0) else value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    text = str(value)
    return text if text.strip() else None


def _xlsx_to_raw_cells(cursor: duckdb.DuckDBPyConnection, data: bytes, limits: Limits) -> None:
    from openpyxl import load_workbook

    try:
        # data_only: the values Excel shows, not the formulas behind them.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as problem:
        raise reject(f"This is not an Excel workbook that can be read ({type(problem).__name__}). "
                     + SAVE_AS_CSV, "not a spreadsheet") from None
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[str | None]] = []
        for values in sheet.iter_rows(min_row=1, values_only=True):
            rows.append([cell_text(v) for v in values])
            if len(rows) > limits.max_rows + HEADER_SEARCH_ROWS + 1:
                break  # too many: the row limit reports it; no need to read the rest
    finally:
        workbook.close()
    width = max((max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in rows), default=0)
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows or width == 0:
        raise reject("The workbook's first sheet is empty. Put the headers in row 1 and one activity per row "
                     "below them, on the first sheet.", "empty file")
    frame = pd.DataFrame([r[:width] + [None] * (width - len(r)) for r in rows],
                         columns=[f"c{i}" for i in range(width)], dtype="object")
    frame.insert(0, "row_number", range(1, len(rows) + 1))
    cursor.register("xlsx_frame", frame)
    try:
        cursor.execute("CREATE OR REPLACE TEMP TABLE raw_cells AS SELECT CAST(row_number AS INTEGER) AS row_number, "
                       + ", ".join(f"CAST(c{i} AS VARCHAR) AS c{i}" for i in range(width)) + " FROM xlsx_frame")
    finally:
        cursor.unregister("xlsx_frame")


def _find_header(cursor: duckdb.DuckDBPyConnection, columns: tuple[str, ...]) -> RawTable:
    """The header row: the first of the top rows naming two or more known columns (else row 1)."""
    top = cursor.execute(f"SELECT row_number, {', '.join(columns)} FROM raw_cells ORDER BY row_number "
                         f"LIMIT {HEADER_SEARCH_ROWS}").fetchall()
    if not top:
        raise FileRejected(Problem(0, "", "", "The file is empty. Download the template, add one row per "
                                   "activity under the headers, and upload it again.", "empty file"))
    header = top[0]
    for row in top:
        if sum(match_header(cell) is not None for cell in row[1:] if cell) >= 2:
            header = row
            break
    data_rows = cursor.execute("SELECT count(*) FROM raw_cells WHERE row_number > $h", {"h": header[0]}).fetchall()[0][0]
    return RawTable(columns, header[0], tuple((c or "").strip() for c in header[1:]), data_rows)
