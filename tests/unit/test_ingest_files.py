"""One table of awkward activity files the import must accept, each named after what it is like, and what it must
store."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from strategy.ingest import LOADED
from tests.activity_files import (
    DATE_LAYOUTS,
    GOOD,
    GUIDE_SHEET,
    HEADER,
    HOSTILE_DESCRIPTION,
    HOSTILE_TITLE,
    REQUIRED_ONLY,
    Case,
    all_start,
    check_import,
    csv_bytes,
    row,
    stored_one,
    workbook_bytes,
    xlsx_bytes,
    xlsx_row,
)

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
]


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_awkward_file(case: Case, writable_con):
    check_import(case, writable_con)
