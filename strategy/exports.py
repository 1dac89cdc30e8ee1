"""Tables out of the product: CSV and Excel, formula-safe, written whole or not at all."""

from __future__ import annotations

import io
import os
import tempfile
from pathlib import Path

import duckdb
import pandas as pd

from strategy import db
from strategy.filters import Filters
from strategy.framework import Framework

# A cell starting with one of these is run as a formula by Excel, LibreOffice and Google Sheets.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


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


def activities_export(con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters) -> pd.DataFrame:
    """The activities the filters select, in the activity CSV's columns plus their share in the selected places."""
    return db.query(con, "activities_export", **filters.sql_parameters(framework))


def table_bytes(table: pd.DataFrame, file_format: str, title: str = "Data", filters_text: str = "",
                is_demo: bool = False) -> bytes:
    """The table as CSV (UTF-8 with BOM, so Excel reads it right) or XLSX bytes, formula-safe."""
    safe = formula_safe_table(table)
    if file_format == "csv":
        return safe.to_csv(index=False, date_format="%Y-%m-%d").encode("utf-8-sig")
    if file_format != "xlsx":
        raise ValueError("format must be csv or xlsx")
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        safe.to_excel(writer, sheet_name=title[:31], index=False)
        notes = pd.DataFrame({"About this export": [
            formula_safe(f"Filters: {filters_text or 'none'}"),
            "DEMO DATA: partners and activities are fictional." if is_demo else "Partner activity returns.",
            f"Rows: {len(table)}",
        ]})
        notes.to_excel(writer, sheet_name="About", index=False)
    return buffer.getvalue()


def write_table(table: pd.DataFrame, target: str | os.PathLike, title: str = "Data", filters_text: str = "",
                is_demo: bool = False) -> Path:
    """Write CSV or XLSX (by the file's ending), whole or not at all."""
    target = Path(target)
    return write_atomically(target, table_bytes(table, target.suffix.lower().lstrip("."), title, filters_text, is_demo))


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
