"""Activity files for the tests, good and awkward: builders for CSV and Excel files, and what an import of one must
report and store."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Callable

from openpyxl import Workbook

from strategy import db
from strategy.access import LOCAL_USER
from strategy.ingest import REJECTED, Limits, import_activities

HEADER = [
    "activity_id",
    "title",
    "description",
    "sector",
    "places",
    "aims",
    "ways_of_working",
    "themes",
    "start_date",
    "end_date",
    "status",
    "participants",
    "investment_gbp",
    "target_groups",
]
GOOD = {
    "activity_id": "MM-1",
    "title": "Walking for health",
    "description": "Weekly led walks",
    "sector": "Sport",
    "places": "Mansfield",
    "aims": "A1",
    "ways_of_working": "W2",
    "themes": "walking",
    "start_date": "2024-04-01",
    "end_date": "2025-03-31",
    "status": "active",
    "participants": "120",
    "investment_gbp": "5000",
    "target_groups": "older people",
}


def row(**changes) -> dict:
    return {**GOOD, **changes}


def csv_bytes(
    rows: list[dict], header: list[str] = HEADER, delimiter: str = ",", encoding: str = "utf-8", line_end: str = "\n"
) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=delimiter, lineterminator=line_end)
    writer.writerow(header)
    for values in rows:
        writer.writerow([values.get(h, "") for h in header])
    return text.getvalue().encode(encoding)


def xlsx_bytes(rows: list[list], header: list[str] = HEADER, blank_rows_after: int = 0) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for values in rows:
        sheet.append(values)
    for offset in range(blank_rows_after):  # formatted but empty cells, as spreadsheets leave them
        sheet.cell(row=sheet.max_row + 1 + offset, column=3).number_format = "0.00"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def xlsx_row(**changes) -> list:
    values = {
        **GOOD,
        "start_date": datetime(2024, 4, 1),
        "end_date": datetime(2025, 3, 31),
        "participants": 120,
        "investment_gbp": 5000.5,
        **changes,
    }
    return [values[h] for h in HEADER]


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A workbook with the given sheets (name -> rows, row 1 first), in order."""
    book = Workbook()
    book.remove(book.active)
    for name, rows in sheets.items():
        sheet = book.create_sheet(name)
        for values in rows:
            sheet.append(values)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


REQUIRED_ONLY = ["activity_id", "title", "sector", "places", "aims", "start_date"]
GUIDE_SHEET = [
    ["How to fill in this return"],
    ["One row per activity on the Activities sheet."],
    ["Dates are day first."],
]
DATE_LAYOUTS = [
    "1 March 2025",
    "01-Mar-2025",
    "2025/03/01",
    "1st March 2025",
    "March 1, 2025",
    "1-Mar-25",
    "Saturday 1 March 2025",
    "Sat, 1 Mar. 2025",
    "01/03/2025 00:00",
    "2025-03-01T00:00:00",
    "2025.03.01",
    "1/3/25 0:00",
    "01/03/2025 09:30:00",
]


def all_start(day: date) -> Callable:
    def check(activities):
        assert [a["start_date"] for a in activities] == [day] * len(activities)

    return check


def rewritten_xlsx(data: bytes, part: str, change: Callable[[bytes], bytes]) -> bytes:
    """The workbook with one of its XML parts changed, as a hand-edited or hostile file would be."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            body = source.read(item.filename)
            target.writestr(item, change(body) if item.filename == part else body)
    return out.getvalue()


def declared_dimension(ref: str) -> Callable[[bytes], bytes]:
    return lambda body: re.sub(rb'<dimension ref="[^"]+"/>', f'<dimension ref="{ref}"/>'.encode(), body)


LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{n} "{("&lol" + (str(n - 1) if n > 1 else "") + ";") * 10}">' for n in range(1, 10))
    + "]>"
)


def with_doctype(doctype: str, title_entity: str) -> Callable[[bytes], bytes]:
    """The sheet's XML with a DOCTYPE in front and the first title replaced by an entity reference."""

    def change(body: bytes) -> bytes:
        body = body.split(b"?>", 1)[1] if body.startswith(b"<?xml") else body
        return doctype.encode() + body.replace(b"<t>Walking for health</t>", f"<t>&{title_entity};</t>".encode(), 1)

    return change


SHEET = "xl/worksheets/sheet1.xml"


@dataclass
class Case:
    """An awkward file and what the import must report (status, problems) and store (checked by `stored`)."""

    id: str
    data: bytes
    status: str
    name: str = "activities.csv"
    errors: list[tuple[int, str, str]] = field(default_factory=list)  # (row, column, kind) that must be reported
    only_these_errors: bool = True
    warning_kinds: list[str] = field(default_factory=list)
    stored: Callable | None = None  # called with the list of stored activity dicts
    limits: Limits | None = None


def stored_one(**expected) -> Callable:
    def check(activities):
        assert len(activities) == 1
        for key, value in expected.items():
            assert activities[0][key] == value, key

    return check


HOSTILE_TITLE = '=HYPERLINK("http://x","click")'
HOSTILE_DESCRIPTION = "<script>alert('x')</script> '; DROP TABLE activities; --"


def stored_activities(con, upload_id: int) -> list[dict]:
    """The activities an upload stored, with their aims, ways, themes and places as sorted code lists."""
    frame = con.execute(
        """
        SELECT a.*, (SELECT list(aim ORDER BY aim) FROM activity_aims WHERE activity_key = a.activity_key) AS aims,
               (SELECT list(way ORDER BY way) FROM activity_ways WHERE activity_key = a.activity_key) AS ways,
               (SELECT list(theme ORDER BY theme) FROM activity_themes WHERE activity_key = a.activity_key) AS themes,
               (SELECT list(place_code ORDER BY place_code) FROM activity_places
                WHERE activity_key = a.activity_key) AS places
        FROM activities a WHERE upload_id = ? ORDER BY activity_key""",
        [upload_id],
    ).fetchall()
    columns = [d[0] for d in con.description]
    return [{k: (v if v is not None or k not in ("ways", "themes") else []) for k, v in zip(columns, r)} for r in frame]


def check_import(case: Case, con) -> None:
    """Import the case's file and check what it reports, and what it stores or (when rejected) does not write."""
    before = db.table_counts(con)
    report = import_activities(con, case.data, case.name, "Awkward Files Trust", LOCAL_USER, limits=case.limits)
    assert report.status == case.status, (report.message, [p.as_dict() for p in report.errors])
    found = {(p.row, p.column, p.kind) for p in report.errors}
    assert set(case.errors) <= found, found
    if case.only_these_errors:
        assert found == set(case.errors)
    for problem in report.errors:
        assert problem.message.strip(), "every problem says how to fix it"
    assert [w.kind for w in report.warnings] == case.warning_kinds
    if case.status == REJECTED:
        assert db.table_counts(con) == before, "a rejected file writes nothing"
    else:
        stored = stored_activities(con, report.upload_id)
        assert len(stored) == report.rows
        if case.stored:
            assert case.stored(stored) is not False
