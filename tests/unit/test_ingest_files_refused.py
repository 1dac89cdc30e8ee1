"""One table of activity files the import must refuse, from a typo to a hostile workbook, each named after what it
is like, and the problems it must report; then the problems file a partner gets back."""

from __future__ import annotations

import csv
import io
import time

import pytest
from openpyxl import Workbook, load_workbook

from strategy.access import LOCAL_USER
from strategy.ingest import LOADED, REJECTED, Limits, import_activities
from tests.activity_files import (
    GOOD,
    HEADER,
    HOSTILE_TITLE,
    LAUGHS,
    SHEET,
    Case,
    check_import,
    csv_bytes,
    declared_dimension,
    rewritten_xlsx,
    row,
    stored_activities,
    stored_one,
    with_doctype,
    xlsx_bytes,
    xlsx_row,
)

CASES = [
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


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_awkward_file(case: Case, writable_con):
    check_import(case, writable_con)


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
