"""One table of awkward activity files, each named after what it is like, and what the import must make of it."""

from __future__ import annotations

import csv
import io
import re
import shutil
import time
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Callable

import pytest
from openpyxl import Workbook, load_workbook

from strategy import db
from strategy.access import LOCAL_USER
from strategy.ingest import LOADED, REJECTED, Limits, import_activities

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

CASES = [
    # --- accepted variations ------------------------------------------------------------------------------------
    Case(
        "plain_utf8_comma_file",
        csv_bytes([GOOD]),
        LOADED,
        stored=stored_one(
            activity_id="MM-1",
            sector="sport",
            places=["E07000174"],
            aims=["A1"],
            ways=["W2"],
            themes=["T1"],
            start_date=date(2024, 4, 1),
            participants=120,
            investment_gbp=Decimal("5000.00"),
            target_groups=["older people"],
        ),
    ),
    Case(
        "utf8_with_bom_from_excel_csv_utf8",
        b"\xef\xbb\xbf" + csv_bytes([row(title="Café £5 sessions")]),
        LOADED,
        stored=stored_one(title="Café £5 sessions"),
    ),
    Case(
        "windows_1252_from_excel_csv_comma_delimited",
        csv_bytes([row(title="Café £5 – taster")], encoding="cp1252"),
        LOADED,
        warning_kinds=["encoding assumed"],
        stored=stored_one(title="Café £5 – taster"),
    ),
    Case(
        "unicode_text_from_excel_utf16_le_with_bom_and_tabs",
        b"\xff\xfe"
        + csv_bytes([row(title="Café £5 – taster")], delimiter="\t", line_end="\r\n").decode().encode("utf-16-le"),
        LOADED,
        stored=stored_one(title="Café £5 – taster", places=["E07000174"]),
    ),
    Case(
        "utf16_big_endian_with_bom",
        b"\xfe\xff" + csv_bytes([row(title="Naïve ✓")]).decode().encode("utf-16-be"),
        LOADED,
        stored=stored_one(title="Naïve ✓"),
    ),
    Case(
        "utf32_with_bom",
        csv_bytes([row(title="Crèche ✓")]).decode().encode("utf-32"),
        LOADED,
        stored=stored_one(title="Crèche ✓"),
    ),
    Case(
        "date_layouts_that_cannot_be_misread",
        csv_bytes(
            [
                row(activity_id=f"MM-{n}", start_date=layout, end_date="")
                for n, layout in enumerate(DATE_LAYOUTS, start=1)
            ]
        ),
        LOADED,
        stored=all_start(date(2025, 3, 1)),
    ),
    Case(
        "day_first_numbers_stay_day_first_with_a_time",
        csv_bytes([row(start_date="03/04/2025 00:00", end_date="")]),
        LOADED,
        stored=stored_one(start_date=date(2025, 4, 3)),
    ),
    Case(
        "activities_on_the_second_sheet_below_title_rows",
        workbook_bytes({"Guide": GUIDE_SHEET, "Activities": [["Activities return 2024-25"], [], HEADER, xlsx_row()]}),
        LOADED,
        name="return.xlsx",
        warning_kinds=["other sheet", "ignored rows"],
        stored=stored_one(activity_id="MM-1", start_date=date(2024, 4, 1)),
    ),
    Case(
        "activities_sheet_chosen_by_its_headers_not_its_position",
        workbook_bytes(
            {
                "Summary": [["Partner", "Total"], ["Trust", 3]],
                # the template's lists, copied in: six column names, but only three required ones
                "Lists": [
                    ["sector", "places", "aims", "ways_of_working", "themes", "status"],
                    ["Sport", "Mansfield", "A1", "W1", "walking", "active"],
                ],
                "Our activities": [[None] + REQUIRED_ONLY, [None] + [GOOD[h] for h in REQUIRED_ONLY]],
            }
        ),
        LOADED,
        name="own.xlsx",
        warning_kinds=["other sheet"],
        stored=stored_one(title="Walking for health"),
    ),
    Case(
        "semicolon_delimited_european_excel",
        csv_bytes([row(places="Mansfield, Ashfield")], delimiter=";"),
        LOADED,
        stored=stored_one(places=["E07000170", "E07000174"]),
    ),
    Case(
        "tab_delimited_copied_from_a_sheet", csv_bytes([GOOD], delimiter="\t"), LOADED, stored=stored_one(aims=["A1"])
    ),
    Case("crlf_line_endings", csv_bytes([GOOD, row(activity_id="MM-2")], line_end="\r\n"), LOADED),
    Case(
        "quoted_cell_with_embedded_newline_and_commas",
        csv_bytes([row(description='Line one, with a comma\nline two "quoted"'), row(activity_id="MM-2")]),
        LOADED,
        stored=lambda acts: acts[0]["description"] == 'Line one, with a comma\nline two "quoted"',
    ),
    Case(
        "loose_headers_with_capitals_spaces_and_symbols",
        "\ufeffActivity ID,Title,Description,SECTOR,Places,Aims,Ways-of-working,Themes,Start Date,End_Date,"
        "Status,Participants,Investment (£),Target groups\n".encode()
        + csv_bytes([GOOD]).split(b"\n", 1)[1],
        LOADED,
        stored=stored_one(investment_gbp=Decimal("5000.00")),
    ),
    Case(
        "columns_in_another_order",
        csv_bytes([GOOD], header=list(reversed(HEADER))),
        LOADED,
        stored=stored_one(title="Walking for health"),
    ),
    Case(
        "tick_box_layout_for_aims_and_ways",
        csv_bytes(
            [{**GOOD, "Aim 1": "Y", "Aim 3": "✓", "Aim 4": "", "W2": "x", "W6": "yes"}],
            header=[h for h in HEADER if h not in ("aims", "ways_of_working")]
            + ["Aim 1", "Aim 3", "Aim 4", "W2", "W6"],
        ),
        LOADED,
        stored=stored_one(aims=["A1", "A3"], ways=["W2", "W6"]),
    ),
    Case(
        "names_numbers_and_synonyms_instead_of_codes",
        csv_bytes(
            [
                row(
                    aims="health | Children and young people; 5",
                    ways_of_working="collaboration, Way 1",
                    themes="Covid-19; climate",
                    sector="NHS",
                    status="Ongoing",
                )
            ]
        ),
        LOADED,
        stored=stored_one(
            aims=["A2", "A4", "A5"], ways=["W1", "W2"], themes=["T2", "T3"], sector="health_care", status="active"
        ),
    ),
    Case(
        "county_name_and_all_expand_to_districts",
        csv_bytes([row(places="Derbyshire"), row(activity_id="MM-2", places="All")]),
        LOADED,
        stored=lambda acts: len(acts[0]["places"]) == 8 and len(acts[1]["places"]) == 17,
    ),
    Case(
        "ons_codes_for_places",
        csv_bytes([row(places="E07000033;E06000018")]),
        LOADED,
        stored=stored_one(places=["E06000018", "E07000033"]),
    ),
    Case(
        "uk_day_first_dates",
        csv_bytes([row(start_date="01/04/2024", end_date="5/3/25")]),
        LOADED,
        stored=stored_one(start_date=date(2024, 4, 1), end_date=date(2025, 3, 5)),
    ),
    Case(
        "month_name_dates",
        csv_bytes([row(start_date="1 Apr 2024", end_date="31st March 2025")]),
        LOADED,
        stored=stored_one(start_date=date(2024, 4, 1), end_date=date(2025, 3, 31)),
    ),
    Case(
        "excel_serial_dates_in_csv",
        csv_bytes([row(start_date="45383", end_date="45747")]),
        LOADED,
        stored=stored_one(start_date=date(2024, 4, 1), end_date=date(2025, 3, 31)),
    ),
    Case(
        "pound_signs_and_thousands_separators",
        csv_bytes([row(investment_gbp="£12,500.50", participants="1,200")]),
        LOADED,
        stored=stored_one(investment_gbp=Decimal("12500.50"), participants=1200),
    ),
    Case(
        "trailing_empty_rows_and_columns_from_a_spreadsheet",
        csv_bytes([GOOD]).replace(b"\n", b",,\n").replace(b"older people,,", b"older people,,")
        + b",,,,,,,,,,,,,,,,\n,,,,,,,,,,,,,,,,\n",
        LOADED,
        stored=stored_one(activity_id="MM-1"),
    ),
    Case(
        "spaces_and_no_break_spaces_around_every_value",
        csv_bytes(
            [
                row(
                    sector="  Sport ",
                    places="\u00a0Mansfield ",
                    aims=" A1 ",
                    start_date=" 01/04/2024 ",
                    end_date="\t",
                    status=" active ",
                    participants=" 1,200\u00a0",
                    investment_gbp=" £5,000 GBP\u00a0",
                    target_groups="  ",
                    title=" Walking for health\u00a0",
                )
            ]
        ),
        LOADED,
        stored=stored_one(
            sector="sport",
            places=["E07000174"],
            aims=["A1"],
            start_date=date(2024, 4, 1),
            end_date=None,
            status="active",
            participants=1200,
            investment_gbp=Decimal("5000.00"),
            target_groups=None,
            title="Walking for health",
        ),
    ),
    Case(
        "row_of_spaces_below_the_data_is_ignored",
        csv_bytes([GOOD]) + b" , ,\t, ,  , , , , , \xc2\xa0, , , , \n",
        LOADED,
        stored=stored_one(activity_id="MM-1"),
    ),
    Case(
        "unknown_extra_column_is_ignored_with_a_note",
        csv_bytes([{**GOOD, "Notes": "call Sam"}], header=HEADER + ["Notes"]),
        LOADED,
        warning_kinds=["ignored column"],
    ),
    Case(
        "title_row_above_the_headers",
        b"Activities return 2024,,\n" + csv_bytes([GOOD]),
        LOADED,
        warning_kinds=["ignored rows"],
    ),
    Case(
        "formula_html_and_sql_text_is_stored_verbatim",
        csv_bytes([row(title=HOSTILE_TITLE, description=HOSTILE_DESCRIPTION)]),
        LOADED,
        stored=stored_one(title=HOSTILE_TITLE, description=HOSTILE_DESCRIPTION),
    ),
    Case(
        "excel_workbook_with_date_cells_and_numbers",
        xlsx_bytes([xlsx_row()]),
        LOADED,
        name="activities.xlsx",
        stored=stored_one(start_date=date(2024, 4, 1), investment_gbp=Decimal("5000.50"), participants=120),
    ),
    Case(
        "excel_workbook_with_serial_numbers_and_formatted_empty_rows",
        xlsx_bytes([xlsx_row(start_date=45383, end_date=None)], blank_rows_after=5),
        LOADED,
        name="a.xlsx",
        stored=stored_one(start_date=date(2024, 4, 1), end_date=None),
    ),
    # --- rejections ---------------------------------------------------------------------------------------------
    Case("empty_file", b"", REJECTED, errors=[(0, "", "empty file")]),
    Case("header_only", csv_bytes([]), REJECTED, errors=[(2, "", "no activities")]),
    Case(
        "a_picture_not_a_spreadsheet",
        b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
        REJECTED,
        errors=[(0, "", "not a spreadsheet")],
        name="photo.csv",
    ),
    Case(
        "old_excel_97_workbook",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
        REJECTED,
        errors=[(0, "", "not a spreadsheet")],
        name="old.xls",
    ),
    Case(
        "zip_that_is_not_a_workbook",
        b"PK\x03\x04garbage",
        REJECTED,
        errors=[(0, "", "not a spreadsheet")],
        name="x.xlsx",
    ),
    Case(
        "utf16_with_a_broken_character",
        b"\xff\xfe"
        + csv_bytes([GOOD]).decode().encode("utf-16-le")
        + "\n".encode("utf-16-le")
        + b"\x00\xd8"
        + "x".encode("utf-16-le"),
        REJECTED,
        errors=[(0, "", "unreadable characters")],
    ),
    # a weekday is read and checked; a month without a day is not a date (which day would it be?)
    Case(
        "weekday_that_contradicts_the_date_and_a_month_without_a_day",
        csv_bytes(
            [
                row(activity_id="MM-1", start_date="Saturday 1 March 2025"),
                row(activity_id="MM-2", start_date="Friday 1 March 2025"),
                row(activity_id="MM-3", start_date="March 1, 2025"),
                row(activity_id="MM-4", start_date="March 2025"),
            ]
        ),
        REJECTED,
        errors=[(3, "start_date", "not a date"), (5, "start_date", "not a date")],
    ),
    Case(
        "bytes_that_are_neither_utf8_nor_windows_1252",
        csv_bytes([row(title="bad \x81 byte")], encoding="latin-1"),
        REJECTED,
        errors=[(0, "", "unreadable characters")],
    ),
    # The open quote swallows the rest of the line, so row 3 lacks its other cells: rejected, pointing at row 3.
    Case(
        "unterminated_quote",
        csv_bytes([GOOD]) + b'MM-2,"never closed,Sport\n',
        REJECTED,
        errors=[(3, "title", "missing value"), (3, "sector", "missing value")],
        only_these_errors=False,
    ),
    # Cells beyond the last header are named in a note, never dropped silently; this row is wrong anyway.
    Case(
        "row_with_more_cells_than_the_header",
        csv_bytes([GOOD]) + b"MM-2,a,b,c,d,e,f,g,h,i,j,k,l,m,n,o,p\n",
        REJECTED,
        errors=[(3, "sector", "unknown code")],
        only_these_errors=False,
        warning_kinds=["ignored column"] * 3,
    ),
    Case(
        "missing_required_column",
        csv_bytes([GOOD], header=[h for h in HEADER if h != "sector"]),
        REJECTED,
        errors=[(1, "sector", "missing column")],
    ),
    Case(
        "missing_column_and_a_bad_row_reported_together",
        csv_bytes([row(start_date="yesterday")], header=[h for h in HEADER if h != "title"]),
        REJECTED,
        errors=[(1, "title", "missing column"), (2, "start_date", "not a date")],
    ),
    Case(
        "unknown_codes_for_aim_sector_way_theme_and_place",
        csv_bytes([row(aims="A7", sector="Spaceflight", ways_of_working="W9", themes="knitting", places="Mansfeld")]),
        REJECTED,
        errors=[
            (2, "aims", "unknown code"),
            (2, "sector", "unknown code"),
            (2, "ways_of_working", "unknown code"),
            (2, "themes", "unknown code"),
            (2, "places", "unknown place"),
        ],
    ),
    Case(
        "impossible_date", csv_bytes([row(start_date="31/02/2024")]), REJECTED, errors=[(2, "start_date", "not a date")]
    ),
    Case(
        "month_first_us_date",
        csv_bytes([row(start_date="04/25/2024")]),
        REJECTED,
        errors=[(2, "start_date", "not a date")],
    ),
    Case(
        "end_before_start",
        csv_bytes([row(start_date="2024-04-01", end_date="2024-03-01")]),
        REJECTED,
        errors=[(2, "end_date", "end before start")],
    ),
    Case(
        "negative_numbers",
        csv_bytes([row(participants="-5", investment_gbp="-£100")]),
        REJECTED,
        errors=[(2, "participants", "negative number"), (2, "investment_gbp", "negative number")],
    ),
    Case(
        "non_numeric_numbers",
        csv_bytes([row(participants="about 50", investment_gbp="TBC")]),
        REJECTED,
        errors=[(2, "participants", "not a number"), (2, "investment_gbp", "not a number")],
    ),
    Case(
        "amount_that_rounds_up_to_a_trillion",
        csv_bytes([row(investment_gbp="999999999999.995")]),
        REJECTED,
        errors=[(2, "investment_gbp", "number too large")],
    ),
    Case(
        "fractional_participants",
        csv_bytes([row(participants="12.5")]),
        REJECTED,
        errors=[(2, "participants", "not a whole number")],
    ),
    Case(
        "duplicate_ids_in_the_file",
        csv_bytes([GOOD, row(title="Again")]),
        REJECTED,
        errors=[(2, "activity_id", "duplicate id"), (3, "activity_id", "duplicate id")],
    ),
    Case(
        "one_bad_row_among_good_ones",
        csv_bytes([row(activity_id=f"MM-{i}", places="Narnia" if i == 3 else "Mansfield") for i in range(1, 6)]),
        REJECTED,
        errors=[(4, "places", "unknown place")],
    ),
    Case(
        "missing_required_values",
        csv_bytes([row(title="", aims="")]),
        REJECTED,
        errors=[(2, "title", "missing value"), (2, "aims", "missing value")],
    ),
    Case(
        "required_cells_holding_only_spaces",
        csv_bytes([row(sector="   ", places="\u00a0", start_date=" \t ")]),
        REJECTED,
        errors=[(2, "sector", "missing value"), (2, "places", "missing value"), (2, "start_date", "missing value")],
    ),
    Case(
        "optional_cells_holding_only_spaces_are_empty",
        csv_bytes([row(end_date="  ", status=" ", participants=" ", investment_gbp="\u00a0", themes=" ")]),
        LOADED,
        stored=stored_one(end_date=None, status=None, participants=None, investment_gbp=None, themes=[]),
    ),
    Case(
        "tick_box_with_an_odd_value",
        csv_bytes([{**GOOD, "Aim 1": "maybe"}], header=[h for h in HEADER if h != "aims"] + ["Aim 1"]),
        REJECTED,
        errors=[(2, "Aim 1", "not a tick"), (2, "aims", "missing value")],
    ),
    Case(
        "file_larger_than_the_limit",
        csv_bytes([GOOD]),
        REJECTED,
        errors=[(0, "", "file too large")],
        limits=Limits(max_megabytes=0.0001, max_rows=10),
    ),
    Case(
        "more_rows_than_the_limit",
        csv_bytes([row(activity_id=f"MM-{i}") for i in range(5)]),
        REJECTED,
        errors=[(0, "", "too many rows")],
        limits=Limits(max_megabytes=50, max_rows=3),
    ),
    # --- hostile or oversized files: refused before the work they would cause --------------------------------
    Case(
        "workbook_declaring_every_excel_column",
        rewritten_xlsx(xlsx_bytes([xlsx_row()]), SHEET, declared_dimension("A1:XFD2")),
        REJECTED,
        name="wide.xlsx",
        errors=[(0, "", "too many columns")],
    ),
    Case(
        "workbook_declaring_a_million_rows",
        rewritten_xlsx(xlsx_bytes([xlsx_row()]), SHEET, declared_dimension("A1:N1048576")),
        REJECTED,
        name="tall.xlsx",
        errors=[(0, "", "too many rows")],
        limits=Limits(max_megabytes=50, max_rows=100),
    ),
    Case(
        "workbook_with_a_value_beyond_the_column_limit",
        xlsx_bytes([xlsx_row() + [None] * 30 + ["stray"]], header=HEADER),
        REJECTED,
        name="stray.xlsx",
        errors=[(0, "", "too many columns")],
        limits=Limits(max_megabytes=50, max_rows=100, max_columns=40),
    ),
    # a sheet's <dimension> may understate it: what is actually there is bounded as it is read
    Case(
        "workbook_with_one_value_a_million_rows_down",
        rewritten_xlsx(
            xlsx_bytes([xlsx_row()]),
            SHEET,
            lambda body: body.replace(
                b"</sheetData>",
                b'<row r="1048576"><c r="A1048576" t="inlineStr"><is><t>x</t></is></c></row></sheetData>',
            ),
        ),
        REJECTED,
        name="far.xlsx",
        errors=[(0, "", "too many rows")],
        limits=Limits(max_megabytes=50, max_rows=100),
    ),
    Case(
        "workbook_with_one_value_in_the_last_excel_column",
        rewritten_xlsx(
            xlsx_bytes([xlsx_row()]),
            SHEET,
            lambda body: body.replace(
                b"</sheetData>", b'<row r="5"><c r="XFD5" t="inlineStr"><is><t>x</t></is></c></row></sheetData>'
            ),
        ),
        REJECTED,
        name="far.xlsx",
        errors=[(0, "", "too many columns")],
    ),
    Case(
        "workbook_with_an_entity_bomb",
        rewritten_xlsx(xlsx_bytes([xlsx_row()]), SHEET, with_doctype(LAUGHS, "lol9")),
        REJECTED,
        name="laughs.xlsx",
        errors=[(0, "", "not a spreadsheet")],
    ),
    Case(
        "workbook_with_an_outside_entity",
        rewritten_xlsx(
            xlsx_bytes([xlsx_row()]),
            SHEET,
            with_doctype('<!DOCTYPE x [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>', "xxe"),
        ),
        REJECTED,
        name="xxe.xlsx",
        errors=[(0, "", "not a spreadsheet")],
    ),
    Case(
        "workbook_with_broken_xml",
        rewritten_xlsx(xlsx_bytes([xlsx_row()]), SHEET, lambda body: body[:-60]),
        REJECTED,
        name="broken.xlsx",
        errors=[(0, "", "not a spreadsheet")],
    ),
    Case(
        "csv_with_thousands_of_columns",
        csv_bytes(
            [{**GOOD, **{f"extra {n}": "x" for n in range(5000)}}], header=HEADER + [f"extra {n}" for n in range(5000)]
        ),
        REJECTED,
        errors=[(0, "", "too many columns")],
    ),
    Case(
        "nul_and_control_characters_in_cells",
        csv_bytes(
            [
                row(title="Walking\x00 for health"),
                row(activity_id="MM-2", description="Bell \x07 rings", places="Mansfield\x1b"),
            ]
        ),
        REJECTED,
        errors=[
            (2, "title", "control character"),
            (3, "description", "control character"),
            (3, "places", "control character"),
        ],
        only_these_errors=False,
    ),
    Case(
        "a_nul_far_down_a_long_file",
        csv_bytes(
            [row(activity_id=f"MM-{i}", description="x" * 100) for i in range(1, 1001)]
            + [row(activity_id="MM-late", participants="12\x00")]
        ),
        REJECTED,
        errors=[(1002, "participants", "control character")],
        only_these_errors=False,
    ),
]


@pytest.fixture
def writable_con(empty_db_file, tmp_path):
    copy = tmp_path / "ingest.duckdb"
    shutil.copy(empty_db_file, copy)
    con = db.connect(copy)
    yield con
    con.close()


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


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_awkward_file(case: Case, writable_con):
    before = db.table_counts(writable_con)
    report = import_activities(
        writable_con, case.data, case.name, "Awkward Files Trust", LOCAL_USER, limits=case.limits
    )
    assert report.status == case.status, (report.message, [p.as_dict() for p in report.errors])
    found = {(p.row, p.column, p.kind) for p in report.errors}
    assert set(case.errors) <= found, found
    if case.only_these_errors:
        assert found == set(case.errors)
    for problem in report.errors:
        assert problem.message.strip(), "every problem says how to fix it"
    assert [w.kind for w in report.warnings] == case.warning_kinds
    if case.status == REJECTED:
        assert db.table_counts(writable_con) == before, "a rejected file writes nothing"
    else:
        stored = stored_activities(writable_con, report.upload_id)
        assert len(stored) == report.rows
        if case.stored:
            assert case.stored(stored) is not False


def test_rejected_file_comes_back_with_a_problems_column(writable_con):
    data = csv_bytes([GOOD, row(activity_id="MM-2", start_date="31/02/2024")])
    report = import_activities(writable_con, data, "mine.csv", "P", LOCAL_USER, dry_run=True)
    assert report.status == REJECTED and report.annotated_file_name == "mine-problems.csv"
    lines = list(csv.reader(io.StringIO(report.annotated_file.decode("utf-8-sig"))))
    assert lines[0] == HEADER + ["problems"]
    assert lines[1][-1] == "" and "31/02/2024" in lines[2][-1] and "not a date" in lines[2][-1]


def test_formula_text_is_neutralised_in_the_problems_file(writable_con):
    data = csv_bytes([row(title=HOSTILE_TITLE, places="Nowhere")])
    report = import_activities(writable_con, data, "mine.csv", "P", LOCAL_USER, dry_run=True)
    lines = list(csv.reader(io.StringIO(report.annotated_file.decode("utf-8-sig"))))
    assert lines[1][1] == "'" + HOSTILE_TITLE


def test_windows_1252_is_said_in_the_report(writable_con):
    report = import_activities(
        writable_con, csv_bytes([row(title="Café")], encoding="cp1252"), "a.csv", "P", LOCAL_USER, dry_run=True
    )
    assert report.assumed["encoding"] == "Windows-1252"
    assert report.preview.title.tolist() == ["Café"]


def test_excel_problems_file_fixed_and_uploaded_again_keeps_formula_like_titles(writable_con):
    titles = ["-5k challenge", "=1+1 club", "\u00a0+50s swim", "\uff1dfullwidth"]
    book = Workbook()
    book.active.append(HEADER)
    for n, title in enumerate(titles, start=1):
        book.active.append(xlsx_row(activity_id=f"MM-{n}", title=title, places="Nowhere"))
        book.active.cell(row=n + 1, column=2).data_type = "s"  # typed as text in Excel, not a formula
    written = io.BytesIO()
    book.save(written)
    data = written.getvalue()
    report = import_activities(writable_con, data, "mine.xlsx", "P", LOCAL_USER, dry_run=True)
    assert report.status == REJECTED and report.annotated_file_name == "mine-problems.xlsx"
    book = load_workbook(io.BytesIO(report.annotated_file))
    sheet = book.worksheets[0]
    assert [sheet.cell(row=n, column=2).value for n in range(2, 6)] == titles  # no apostrophe added
    assert all(sheet.cell(row=n, column=2).data_type == "s" for n in range(2, 6))
    for n in range(2, 6):  # the partner fixes the place and deletes the problems column
        sheet.cell(row=n, column=HEADER.index("places") + 1).value = "Mansfield"
    sheet.delete_cols(len(HEADER) + 1)
    fixed = io.BytesIO()
    book.save(fixed)
    again = import_activities(writable_con, fixed.getvalue(), "mine-problems.xlsx", "P", LOCAL_USER)
    assert again.status == LOADED, [p.as_dict() for p in again.errors]
    assert [a["title"] for a in stored_activities(writable_con, again.upload_id)] == [t.strip("\u00a0") for t in titles]


def test_a_csv_of_half_a_million_columns_is_refused_in_seconds(writable_con):
    header = ",".join(f"c{n}" for n in range(500_000))
    data = (header + "\n" + ",".join("x" for _ in range(500_000)) + "\n").encode()
    started = time.monotonic()
    report = import_activities(writable_con, data, "wide.csv", "P", LOCAL_USER, dry_run=True)
    assert time.monotonic() - started < 5
    assert [(p.kind, "more than 1,000 cells" in p.message) for p in report.errors] == [("too many columns", True)]
