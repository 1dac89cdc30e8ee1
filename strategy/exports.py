"""Tables out of the product: CSV and Excel, formula-safe, written whole or not at all."""

from __future__ import annotations

import io
import os
import re
import tempfile
from datetime import date
from pathlib import Path

import duckdb
import pandas as pd

from strategy import db
from strategy.access import User, require
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.periods import govuk_date

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets; the fullwidth
# forms (＝ ＋ － ＠) are read as their plain forms by spreadsheets in East Asian locales.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
ATTENDANCES = (
    "Participants are attendances as partners report them (one person at ten sessions counts ten), not unique people."
)
FORMULA_SIGNS = "=+-@\uff1d\uff0b\uff0d\uff20"
# Spreadsheets skip these before a formula sign (" =1+1" and "\u00a0=1+1" are formulas once the cell is edited).
LEADING_BLANKS = (
    " \t\r\n\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u200b\u202f\u205f\u3000\ufeff"
)


def looks_like_formula(value: object) -> bool:
    """Whether a spreadsheet could run this text as a formula: it starts with = + - @ (or their fullwidth forms),
    a tab, carriage return or line feed, or only spaces (no-break ones too) stand before such a sign.

    The one rule every writer uses: CSV cells get a ' in front (formula_safe), Excel cells are written as text
    with Excel's own quote-prefix mark and no change to the value (text_cells_in_sheet)."""
    if not isinstance(value, str) or not value:
        return False
    return value.startswith(FORMULA_STARTS) or value.lstrip(LEADING_BLANKS)[:1] in tuple(FORMULA_SIGNS)


def formula_safe(value: object) -> object:
    """For CSV: text that a spreadsheet would run as a formula, prefixed with ' so it is shown as typed; anything
    else unchanged."""
    if looks_like_formula(value):
        return "'" + value
    return value


def formula_safe_table(table: pd.DataFrame) -> pd.DataFrame:
    """For CSV: a copy with every text cell (and column name) neutralised."""
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(formula_safe)
    safe.columns = [formula_safe(str(c)) for c in safe.columns]
    return safe


def text_cells_in_sheet(sheet, table: pd.DataFrame, header: bool = True) -> None:
    """For Excel: every text cell of the sheet written from `table` stays text, exactly as written.

    openpyxl turns a string starting with = into a formula (and '#N/A' into an error); those become text again.
    Text that looks like a formula also gets Excel's quote-prefix mark, so editing the cell in Excel does not turn
    it into one; the value itself is unchanged, so a partner's '-5k challenge' comes back as '-5k challenge'.
    Only the cells that need it are visited (found column by column), not every cell of a large export."""
    from openpyxl.cell.cell import ERROR_CODES

    def needs_care(value: object) -> bool:
        return looks_like_formula(value) or (isinstance(value, str) and value in ERROR_CODES)

    first = 2 if header else 1
    places = [(1, j) for j, name in enumerate(table.columns) if header and needs_care(str(name))]
    for j, column in enumerate(table.columns):
        values = table.iloc[:, j]
        if values.dtype == object or pd.api.types.is_string_dtype(values):
            places += [(first + i, j) for i in values.map(needs_care).to_numpy().nonzero()[0]]
    for row, j in places:
        cell = sheet.cell(row=row, column=j + 1)
        if isinstance(cell.value, str):
            cell.data_type = "s"
            cell.quotePrefix = looks_like_formula(cell.value)


def excel_text(value: object) -> object:
    """Text an Excel cell can hold: control characters (NUL and the like, which .xlsx cannot store and which made
    an export fail) shown as �; anything else unchanged."""
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        return ILLEGAL_CHARACTERS_RE.sub("\ufffd", value)
    return value


def excel_bytes(sheets: dict[str, pd.DataFrame], header: bool = True) -> bytes:
    """An .xlsx workbook of the tables (sheet name -> table), every text cell kept as text (text_cells_in_sheet)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        for name, table in sheets.items():
            table = table.copy()
            for column in table.columns:
                if table[column].dtype == object or pd.api.types.is_string_dtype(table[column]):
                    table[column] = table[column].map(excel_text)
            table.columns = [excel_text(str(c)) for c in table.columns]
            table.to_excel(writer, sheet_name=name[:31], index=False, header=header)
            text_cells_in_sheet(writer.sheets[name[:31]], table, header)
    return buffer.getvalue()


def activities_export(
    con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters, actor: User
) -> pd.DataFrame:
    """The activities the filters select, in the activity CSV's columns plus their share in the selected places.

    An export: analysts and admins only, and written to the audit log (so the connection must be writable)."""
    require(actor, "export")
    table = db.query(con, "activities_export", **filters.sql_parameters(framework))
    with db.transaction(con) as cursor:
        db.audit(cursor, actor, "export", f"{len(table)} activities; filters: {filters.describe(framework)}")
    return table


def table_bytes(
    table: pd.DataFrame,
    file_format: str,
    title: str = "Data",
    filters_text: str = "",
    is_demo: bool = False,
    about: str | None = None,
    made_on: date | None = None,
    summaries: dict[str, pd.DataFrame] | None = None,
) -> bytes:
    """The table as CSV (UTF-8 with BOM, so Excel reads it right) or XLSX bytes, formula-safe.

    A CSV is pure data, so it round-trips into other tools (its file name and the caption or command output that
    offers it say what it holds). A workbook says it itself: an 'About' sheet with the data (demo or real), the
    filters and the date, and any summary tables (such as money by place) on sheets of their own."""
    if file_format == "csv":
        return formula_safe_table(table).to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8-sig")
    if file_format != "xlsx":
        raise ValueError("format must be csv or xlsx")
    notes = pd.DataFrame(
        {
            "About this export": [
                f"Filters: {filters_text or 'none'}",
                about
                or ("DEMO DATA: partners and activities are fictional." if is_demo else "Partner activity returns."),
                f"Rows: {len(table)}",
                f"Made on: {govuk_date(made_on or date.today())}",
                describe_export(len(table), filters_text, is_demo, made_on, about),
            ]
            + ([ATTENDANCES] if any("participants" in str(c).lower() for c in table.columns) else [])
        }
    )
    return excel_bytes({title: table, **(summaries or {}), "About": notes})


def describe_export(
    rows: int, filters_text: str, is_demo: bool, made_on: date | None = None, what: str | None = None
) -> str:
    """What an export holds, in one sentence: for the About sheet, the download caption and the command's output."""
    kind = what or ("DEMO DATA (fictional partners and activities)" if is_demo else "partner activity returns")
    return f"{rows:,} rows of {kind}; filters: {filters_text or 'none'}; made on {govuk_date(made_on or date.today())}."


def export_file_name(
    stem: str, filters: Filters, framework: Framework, file_format: str, made_on: date | None = None
) -> str:
    """A file name that carries the filter and the date: 'activities_mansfield_a3_2026-06-30.csv'."""
    parts = [p.name for p in map(framework.place, filters.places)] + [
        *filters.sectors,
        *filters.aims,
        *filters.ways,
        *filters.themes,
        *filters.partners,
    ]
    if filters.date_from or filters.date_to:
        parts.append(f"{filters.date_from or 'start'}-to-{filters.date_to or 'today'}")
    words = "_".join(re.sub(r"[^a-z0-9]+", "-", str(p).lower()).strip("-") for p in parts or ["all"])[:80].strip("-_")
    return f"{stem}_{words}_{(made_on or date.today()).isoformat()}.{file_format}"


def write_table(
    table: pd.DataFrame,
    target: str | os.PathLike,
    title: str = "Data",
    filters_text: str = "",
    is_demo: bool = False,
    summaries: dict[str, pd.DataFrame] | None = None,
    made_on: date | None = None,
) -> Path:
    """Write CSV or XLSX (by the file's ending), whole or not at all."""
    target = Path(target)
    return write_atomically(
        target,
        table_bytes(
            table, target.suffix.lower().lstrip("."), title, filters_text, is_demo, made_on=made_on, summaries=summaries
        ),
    )


def write_atomically(target: str | os.PathLike, data: bytes) -> Path:
    """Write through a temporary file beside the target and rename it, so a failure never leaves half a file."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return target
