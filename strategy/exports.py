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

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ATTENDANCES = ("Participants are attendances as partners report them (one person at ten sessions counts ten), not "
               "unique people.")


def formula_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula, prefixed with ' so it is shown as typed; anything else unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def formula_safe_table(table: pd.DataFrame) -> pd.DataFrame:
    """A copy with every text cell (and column name) neutralised."""
    safe = table.copy()
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = safe[column].map(formula_safe)
    safe.columns = [formula_safe(str(c)) for c in safe.columns]
    return safe


def activities_export(con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters,
                      actor: User) -> pd.DataFrame:
    """The activities the filters select, in the activity CSV's columns plus their share in the selected places.

    An export: analysts and admins only, and written to the audit log (so the connection must be writable)."""
    require(actor, "export")
    table = db.query(con, "activities_export", **filters.sql_parameters(framework))
    with db.transaction(con):
        db.audit(con, actor, "export", f"{len(table)} activities; filters: {filters.describe(framework)}")
    return table


def table_bytes(table: pd.DataFrame, file_format: str, title: str = "Data", filters_text: str = "",
                is_demo: bool = False, about: str | None = None, made_on: date | None = None,
                summaries: dict[str, pd.DataFrame] | None = None) -> bytes:
    """The table as CSV (UTF-8 with BOM, so Excel reads it right) or XLSX bytes, formula-safe.

    A CSV is pure data, so it round-trips into other tools (its file name and the caption or command output that
    offers it say what it holds). A workbook says it itself: an 'About' sheet with the data (demo or real), the
    filters and the date, and any summary tables (such as money by place) on sheets of their own."""
    safe = formula_safe_table(table)
    if file_format == "csv":
        return safe.to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8-sig")
    if file_format != "xlsx":
        raise ValueError("format must be csv or xlsx")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name=title[:31], index=False)
        for name, summary in (summaries or {}).items():
            formula_safe_table(summary).to_excel(writer, sheet_name=name[:31], index=False)
        notes = pd.DataFrame({"About this export": [
            formula_safe(f"Filters: {filters_text or 'none'}"),
            about or ("DEMO DATA: partners and activities are fictional." if is_demo else "Partner activity returns."),
            f"Rows: {len(table)}",
            f"Made on: {(made_on or date.today()).isoformat()}",
            formula_safe(describe_export(len(table), filters_text, is_demo, made_on, about)),
        ] + ([ATTENDANCES] if any("participants" in str(c).lower() for c in table.columns) else [])})
        notes.to_excel(writer, sheet_name="About", index=False)
    return buffer.getvalue()


def describe_export(rows: int, filters_text: str, is_demo: bool, made_on: date | None = None,
                    what: str | None = None) -> str:
    """What an export holds, in one sentence: for the About sheet, the download caption and the command's output."""
    kind = what or ("DEMO DATA (fictional partners and activities)" if is_demo else "partner activity returns")
    return (f"{rows:,} rows of {kind}; filters: {filters_text or 'none'}; made on "
            f"{(made_on or date.today()).isoformat()}.")


def export_file_name(stem: str, filters: Filters, framework: Framework, file_format: str,
                     made_on: date | None = None) -> str:
    """A file name that carries the filter and the date: 'activities_mansfield_a3_2026-06-30.csv'."""
    parts = [p.name for p in map(framework.place, filters.places)] + [*filters.sectors, *filters.aims, *filters.ways,
                                                                        *filters.themes, *filters.partners]
    if filters.date_from or filters.date_to:
        parts.append(f"{filters.date_from or 'start'}-to-{filters.date_to or 'today'}")
    words = "_".join(re.sub(r"[^a-z0-9]+", "-", str(p).lower()).strip("-") for p in parts or ["all"])[:80].strip("-_")
    return f"{stem}_{words}_{(made_on or date.today()).isoformat()}.{file_format}"


def write_table(table: pd.DataFrame, target: str | os.PathLike, title: str = "Data", filters_text: str = "",
                is_demo: bool = False, summaries: dict[str, pd.DataFrame] | None = None,
                made_on: date | None = None) -> Path:
    """Write CSV or XLSX (by the file's ending), whole or not at all."""
    target = Path(target)
    return write_atomically(target, table_bytes(table, target.suffix.lower().lstrip("."), title, filters_text, is_demo,
                                                made_on=made_on, summaries=summaries))


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
