"""Decoded file to rows of text DuckDB can read (RawTable), numbered as the spreadsheet numbers them.

Every cell is read as text, so nothing is converted before it is checked; trailing empty rows and columns
that spreadsheets leave behind are dropped here.
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
import zipfile
from datetime import date, datetime, time
from typing import Callable

import duckdb
import pandas as pd

from strategy.ingest.columns import REQUIRED, match_header
from strategy.ingest.decode import SAVE_AS_CSV, DecodedFile, reject
from strategy.ingest.report import FileRejected, Limits, Problem
from strategy.safekeeping.scratch_files import remove_leftovers

HEADER_SEARCH_ROWS = 10  # a title or note above the headers is skipped if the headers are within this many rows
MEMORY_FOLDER = "/dev/shm"


class RawTable:
    """A file's rows as text, in file order, for SQL to read: a CSV straight from a temporary copy (never held
    as a table unless asked, by raw_cells()), a workbook from the table raw_cells; with its header row.

    Queries name the rows {rows} (columns c0..cN, the file's order) and run through query(), which reads a CSV
    with DuckDB's parallel reader when it can and turns a file it cannot read into a clear rejection.
    """

    def __init__(self, columns: tuple[str, ...], csv_path: str | None = None, delimiter: str | None = None):
        self.columns = columns
        self.csv_path = csv_path
        self.delimiter = delimiter
        self.parallel = True
        self.header_row = 1
        self.headers: tuple[str, ...] = ()
        self.top_rows: list[tuple] = []  # (row_number, c0, ...) of the first rows, where the header was looked for
        self.sheet_note: str | None = None  # a workbook's activities not on its first sheet: which sheet was read
        # whether any cell may hold a control character (a CSV's bytes are checked while it is staged; a callable)
        self.may_hold_control_characters: Callable[[], bool] = lambda: True
        self._materialised = csv_path is None
        self._closed = False

    def query(
        self, cursor: duckdb.DuckDBPyConnection, sql: str, params: dict | None = None
    ) -> duckdb.DuckDBPyConnection:
        """Run sql with {rows} standing for the file's rows; FileRejected if the file cannot be read as a CSV."""
        if self.csv_path is None:
            return cursor.execute(
                sql.replace("{rows}", f"(SELECT {', '.join(self.columns)} FROM raw_cells ORDER BY row_number)"),
                params or {},
            )
        columns = "{" + ", ".join(f"'{c}': 'VARCHAR'" for c in self.columns) + "}"
        while True:
            # strict mode makes a longer row an error, never a silently cut one
            rows = (
                f"read_csv($raw_path, auto_detect = false, columns = {columns}, header = false, null_padding = "
                f"true, parallel = {str(self.parallel).lower()}, strict_mode = true, delim = $raw_delimiter, "
                "quote = '\"', escape = '\"')"
            )
            try:
                return cursor.execute(
                    sql.replace("{rows}", rows),
                    {**(params or {}), "raw_path": self.csv_path, "raw_delimiter": self.delimiter},
                )
            except duckdb.Error as problem:
                # The parallel reader refuses (never misreads) quoted newlines together with short rows, and is
                # stricter about a quote left open; the one-thread reader reads those, and its errors are reported.
                # Anything else (no memory, a failed write) is not the reader's and is not tried again.
                if self.parallel and "CSV Error" in str(problem):
                    self.parallel = False
                    continue
                if isinstance(problem, (duckdb.InvalidInputException, duckdb.ConversionException)):
                    raise _unreadable(str(problem)) from None
                raise

    def raw_cells(self, cursor: duckdb.DuckDBPyConnection) -> None:
        """Make sure the view or table raw_cells(row_number, c0, ...) exists (for the file with a problems column)."""
        if self._materialised:
            return
        self.query(cursor, "CREATE OR REPLACE TEMP TABLE raw_csv AS SELECT * FROM {rows}")
        # rowid follows the file's order (insertion order is preserved): records numbered as a spreadsheet does.
        cursor.execute(
            "CREATE OR REPLACE TEMP VIEW raw_cells AS SELECT CAST(rowid + 1 AS INTEGER) AS row_number, "
            + ", ".join(self.columns)
            + " FROM raw_csv"
        )
        self._materialised = True

    def close(self) -> None:
        """Remove the temporary copy of a CSV (the rows can no longer be read after this)."""
        if self.csv_path is not None and not self._closed:
            self._closed = True
            try:
                os.unlink(self.csv_path)
            except FileNotFoundError:
                pass


def read_raw_table(cursor: duckdb.DuckDBPyConnection, decoded: DecodedFile, data: bytes, limits: Limits) -> RawTable:
    """The file's rows ready to read, with the header found; FileRejected if it cannot be read. Close it after."""
    if decoded.kind == "xlsx":
        columns, note = _xlsx_to_raw_cells(cursor, data, limits)
        raw = RawTable(columns)
        raw.sheet_note = note
    else:
        # DuckDB reads the text far faster than Python's csv module. Its sniffer is fragile on ragged files, so
        # the width comes from the first rows.
        width = _column_count(decoded)
        if width > limits.max_columns:  # before DuckDB is asked to read a table that wide
            raise reject(
                f"A row near the top of the file has more than {limits.max_columns:,} cells. "
                + TOO_WIDE.format(limit=limits.max_columns),
                "too many columns",
            )
        raw = RawTable(tuple(f"c{i}" for i in range(width)), _scratch_copy(decoded.utf8), decoded.delimiter)
    try:
        _find_header(cursor, raw)
    except BaseException:
        raw.close()
        raise
    return raw


def _unreadable(message: str) -> FileRejected:
    line = _line_of(message)
    where = f" (line {line} of the file)" if line else ""
    if "Expected Number of Columns" in message:
        return reject(
            f"A row{where} has more cells than the header row. Give every column a header, or remove the "
            "extra cells (often a stray comma or semicolon).",
            "unreadable file",
        )
    return reject(
        f'The file could not be read as a CSV{where}: usually a cell that opens a quote (") and never '
        "closes it. Check that line, or " + SAVE_AS_CSV[0].lower() + SAVE_AS_CSV[1:],
        "unreadable file",
    )


SCRATCH_STEM = "strategy-upload"


def _scratch_copy(text: bytes | memoryview) -> str:
    """The path of a temporary copy of the text for DuckDB to read: in memory-backed /dev/shm where there is room
    (a disk-backed copy of a large file was a tenth of the import's time), else in the temporary folder. Copies
    left by an import that was killed are removed here (strategy/safekeeping/scratch_files.py)."""
    memory = os.path.isdir(MEMORY_FOLDER) and os.access(MEMORY_FOLDER, os.W_OK)
    for folder in ([MEMORY_FOLDER] if memory else []) + [tempfile.gettempdir()]:
        remove_leftovers(folder, f"{SCRATCH_STEM}.*.csv")
    if memory:
        try:
            return _temporary_file(text, MEMORY_FOLDER)
        except OSError:  # too small (a container's default is 64 MB)
            pass
    return _temporary_file(text, None)


def _temporary_file(text: bytes | memoryview, folder: str | None) -> str:
    handle, path = tempfile.mkstemp(prefix=f"{SCRATCH_STEM}.{os.getpid()}.", suffix=".csv", dir=folder)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(text)
    except OSError:
        os.unlink(path)
        raise
    return path


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


TOO_WIDE = (
    "A spreadsheet of activities has one column per field (the template has 14); this one has more than "
    "{limit:,}. Copy only the activity columns to a new sheet or file, and upload that."
)
DAMAGED_WORKBOOK = (
    "This Excel file could not be read: its contents are damaged, or hold XML a workbook never needs "
    "(definitions of entities or links to outside files). Open it in Excel, choose File > Save As > "
    "'Excel Workbook (.xlsx)' and upload the new file, or " + SAVE_AS_CSV[0].lower() + SAVE_AS_CSV[1:]
)


def _xlsx_to_raw_cells(
    cursor: duckdb.DuckDBPyConnection, data: bytes, limits: Limits
) -> tuple[tuple[str, ...], str | None]:
    """The temporary table raw_cells(row_number, c0, ...) from the sheet holding the activities; (its text columns,
    a note naming the sheet when it is not the first).

    Bounded before any real work: a sheet's declared size is checked against the limits first, rows are never
    padded to a declared width, and a damaged or hostile workbook (entity bombs, outside entities, broken XML)
    is a rejection, never a traceback."""
    from openpyxl import load_workbook

    try:
        # data_only: the values Excel shows, not the formulas behind them.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as problem:
        raise reject(
            f"This is not an Excel workbook that can be read ({type(problem).__name__}). " + SAVE_AS_CSV,
            "not a spreadsheet",
        ) from None
    except MemoryError:
        raise
    except Exception:  # noqa: BLE001 - malformed or hostile XML (ParseError, lxml errors, ...)
        raise reject(DAMAGED_WORKBOOK, "not a spreadsheet") from None
    try:
        sheet, note = _activity_sheet(workbook, limits)
        rows: list[list[str | None]] = []
        most = limits.max_rows + HEADER_SEARCH_ROWS + 1
        for values in sheet.iter_rows(min_row=1, values_only=True):
            if len(rows) == most:  # a value this far down, even below empty rows: no need to read the rest
                raise reject(
                    f"The sheet '{sheet.title}' has values below row {most:,}; at most "
                    f"{limits.max_rows:,} activities can be loaded at once. Delete anything below your "
                    "activities, or split the file.",
                    "too many rows",
                )
            rows.append(_bounded_row(values, limits, len(rows) + 1))
    except (FileRejected, MemoryError):
        raise
    except Exception:  # noqa: BLE001 - a sheet's XML is parsed only as it is read
        raise reject(DAMAGED_WORKBOOK, "not a spreadsheet") from None
    finally:
        workbook.close()
    width = max((max((i + 1 for i, v in enumerate(r) if v is not None), default=0) for r in rows), default=0)
    while rows and not any(rows[-1]):
        rows.pop()
    if not rows or width == 0:
        raise reject(
            f"The workbook's sheet '{sheet.title}' is empty. Put the headers in row 1 and one activity "
            "per row below them.",
            "empty file",
        )
    frame = pd.DataFrame(
        [r[:width] + [None] * (width - len(r)) for r in rows], columns=[f"c{i}" for i in range(width)], dtype="object"
    )
    frame.insert(0, "row_number", range(1, len(rows) + 1))
    cursor.register("xlsx_frame", frame)
    try:
        cursor.execute(
            "CREATE OR REPLACE TEMP TABLE raw_cells AS SELECT CAST(row_number AS INTEGER) AS row_number, "
            + ", ".join(f"CAST(c{i} AS VARCHAR) AS c{i}" for i in range(width))
            + " FROM xlsx_frame"
        )
    finally:
        cursor.unregister("xlsx_frame")
    return tuple(f"c{i}" for i in range(width)), note


def _bounded_row(values: tuple, limits: Limits, number: int) -> list[str | None]:
    """A row's cells as text, refused if a cell lies beyond the column limit (never padded to a declared width)."""
    if len(values) > limits.max_columns and any(v is not None for v in values[limits.max_columns :]):
        raise reject(
            f"Row {number} has a value beyond column {limits.max_columns:,}. "
            + TOO_WIDE.format(limit=limits.max_columns),
            "too many columns",
        )
    return [cell_text(v) for v in values[: limits.max_columns]]


def _activity_sheet(workbook, limits: Limits):
    """(the sheet whose top rows look most like the activities' header, a note when it is not the first sheet);
    FileRejected if its declared size is beyond the limits.

    A header row scores (required columns it names, columns it names): a copy of the template's Lists sheet
    (sector, places, aims, ...) then loses to a real activities sheet naming fewer columns in all. With no sheet
    naming two known columns the first sheet is read, as before."""
    best, best_score = None, (0, 1)
    declared = {}
    for sheet in workbook.worksheets:
        declared[sheet.title] = (sheet.max_row, sheet.max_column)  # the sheet's <dimension>, read without its cells
        sheet.reset_dimensions()  # never pad rows to a declared width: read what is there
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue  # a hidden sheet holds lists or workings, not what the partner sees
        score = (0, 0)
        for values in sheet.iter_rows(min_row=1, max_row=HEADER_SEARCH_ROWS, values_only=True):
            matched = [match_header(cell_text(v)) for v in values[: limits.max_columns] if cell_text(v)]
            named = {m[0] for m in matched if m is not None and m[1] is None}
            ticks_aims = any(m is not None and m[1] and m[1].startswith("A") for m in matched)
            required = len(named & set(REQUIRED)) + (ticks_aims and "aims" not in named)
            score = max(score, (required, sum(m is not None for m in matched)))
        if score[1] >= 2 and score > best_score:
            best, best_score = sheet, score
    chosen = best or workbook.worksheets[0]
    rows, columns = declared[chosen.title]
    if columns and columns > limits.max_columns:
        raise reject(
            f"The sheet '{chosen.title}' says it uses {columns:,} columns. "
            + TOO_WIDE.format(limit=limits.max_columns)
            + " If the extra columns are empty, delete them and save again.",
            "too many columns",
        )
    if rows and rows > limits.max_rows + HEADER_SEARCH_ROWS + 1:
        raise reject(
            f"The sheet '{chosen.title}' says it uses {rows:,} rows; at most {limits.max_rows:,} "
            "activities can be loaded at once. If most of those rows are empty, delete the empty rows "
            "below your activities and save again; otherwise split the file.",
            "too many rows",
        )
    note = None
    if chosen is not workbook.worksheets[0]:
        note = (
            f"The activities were read from the sheet '{chosen.title}', whose headers name the template's "
            "columns; the other sheets were ignored."
        )
    return chosen, note


def _find_header(cursor: duckdb.DuckDBPyConnection, raw: RawTable) -> None:
    """The header row: the first of the top rows naming two or more known columns (else row 1)."""
    top = raw.query(cursor, f"SELECT * FROM {{rows}} LIMIT {HEADER_SEARCH_ROWS}").fetchall()
    if not top:
        raise FileRejected(
            Problem(
                0,
                "",
                "",
                "The file is empty. Download the template, add one row per "
                "activity under the headers, and upload it again.",
                "empty file",
            )
        )
    raw.top_rows = [(number, *cells) for number, cells in enumerate(top, start=1)]
    header = raw.top_rows[0]
    for row in raw.top_rows:
        if sum(match_header(cell) is not None for cell in row[1:] if cell) >= 2:
            header = row
            break
    raw.header_row = header[0]
    raw.headers = tuple((c or "").strip() for c in header[1:])
