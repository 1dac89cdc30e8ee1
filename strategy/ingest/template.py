"""The files partners fill in: a CSV with the headers, and an Excel workbook with drop-down lists and a guide."""

from __future__ import annotations

import io
from datetime import date

from strategy.framework import Framework
from strategy.ingest.columns import COLUMN_NAMES, COLUMNS, guide_columns

TEMPLATE_ROWS = 1000  # rows of the Activities sheet that carry the drop-down lists
STATUSES = ("planned", "active", "completed", "paused")


def template_csv() -> bytes:
    """The CSV template: the header row, UTF-8 with a BOM so Excel opens it correctly."""
    return (",".join(COLUMN_NAMES) + "\r\n").encode("utf-8-sig")


def template_lists(framework: Framework) -> dict[str, list[str]]:
    """The values offered in each drop-down, in the framework's order."""
    return {
        "sector": [s.label for s in framework.sectors],
        "places": ["All"] + [p.name for p in framework.counties()] + [p.name for p in framework.local_places()],
        "aims": [a.short for a in framework.aims],
        "ways_of_working": [w.short for w in framework.ways],
        "themes": [t.label for t in framework.themes],
        "status": list(STATUSES),
    }


def template_xlsx(framework: Framework, rows: list[list] = (), note: str | None = None) -> bytes:
    """The Excel template: Activities (headers, drop-downs), Guide (each column explained) and Lists. rows (values
    in COLUMN_NAMES order) pre-fill the Activities sheet, text kept as text and dates as dates; note is shown at the
    top of the Guide."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook()
    sheet = book.active
    sheet.title = "Activities"
    lists = book.create_sheet("Lists")
    guide = book.create_sheet("Guide")
    bold = Font(bold=True, color="FFFFFF")
    fill = PatternFill("solid", fgColor="0072B2")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.name)
        cell.font, cell.fill = bold, fill
        sheet.column_dimensions[get_column_letter(index)].width = max(14, len(column.name) + 4)
    sheet.freeze_panes = "A2"
    for row_number, values in enumerate(rows, start=2):
        for index, value in enumerate(values, start=1):
            if value is None:
                continue
            cell = sheet.cell(row=row_number, column=index)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # text that starts with '=' stays text, never a formula
            elif isinstance(value, date):
                cell.number_format = "DD/MM/YYYY"
    validated_rows = TEMPLATE_ROWS + len(rows)
    for index, (name, values) in enumerate(template_lists(framework).items(), start=1):
        lists.cell(row=1, column=index, value=name).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            lists.cell(row=row, column=index, value=value)
        letter = get_column_letter(index)
        target = get_column_letter(COLUMN_NAMES.index(name) + 1)
        single = name in ("sector", "status")
        validation = DataValidation(
            type="list",
            formula1=f"=Lists!${letter}$2:${letter}${len(values) + 1}",
            allow_blank=True,
            # Lists accept several values ('A1; A4'), so typing beyond the drop-down must stay allowed.
            showErrorMessage=single,
            errorTitle="Not in the list",
            error="Pick a value from the list.",
            showInputMessage=True,
            promptTitle=name,
            prompt="Pick from the list." if single else "Pick one, or type several separated by ;",
        )
        validation.add(f"{target}2:{target}{validated_rows + 1}")
        sheet.add_data_validation(validation)
    if note:
        guide.append(["", "", note, ""])
        guide.append([])
    guide.append(["column", "required", "what to write", "example"])
    for cell in guide[3 if note else 1]:
        cell.font, cell.fill = bold, fill
    for column in guide_columns(framework):
        guide.append([column.name, "yes" if column.required else "no", column.accepts, column.example])
    guide.append([])
    guide.append(
        [
            "",
            "",
            "One row per activity. Row 1 holds the headers. Upload this workbook as it is (.xlsx), "
            "or save it as CSV UTF-8. Every problem is listed at once with how to fix it; nothing is loaded "
            "until the whole file is right.",
            "",
        ]
    )
    for letter, width in zip("ABCD", (18, 10, 90, 34)):
        guide.column_dimensions[letter].width = width
    for row in guide.iter_rows(min_row=2):
        for cell in row:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
