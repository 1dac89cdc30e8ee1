"""Any valid activity table, written as CSV or XLSX, comes back from the database exactly as written."""

from __future__ import annotations

import csv
import io
import shutil
from datetime import date
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from strategy import db
from strategy.access import LOCAL_USER
from strategy.framework import load_framework
from strategy.ingest import LOADED, import_activities, rollback_upload
from tests.activity_files import HEADER, stored_activities

FRAMEWORK = load_framework()
LOCAL = [p for p in FRAMEWORK.local_places()]
# Free text: letters, digits, punctuation, spaces, newlines and non-ASCII; ends trimmed (cells are trimmed).
TEXT = (
    st.text(
        st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp", "Co", "Cn"), include_characters="\n"),
        min_size=1,
        max_size=40,
    )
    .map(lambda s: s.strip(" \t\r\n\u00a0"))
    .filter(lambda s: s and s == s.strip())
)
GROUP = TEXT.filter(lambda s: not any(c in s for c in ";,|")).filter(lambda s: s == s.strip(" \t\r\n\u00a0"))
pytestmark = pytest.mark.slow  # property tests: 75 generated files, a few minutes on a busy machine
NAMES = {"aim": [a for a in FRAMEWORK.aims], "way": [w for w in FRAMEWORK.ways], "theme": [t for t in FRAMEWORK.themes]}


@st.composite
def activity(draw, number: int) -> dict:
    aims = draw(st.lists(st.sampled_from(FRAMEWORK.aims), min_size=1, max_size=5, unique=True))
    ways = draw(st.lists(st.sampled_from(FRAMEWORK.ways), max_size=6, unique=True))
    themes = draw(st.lists(st.sampled_from(FRAMEWORK.themes), max_size=3, unique=True))
    places = draw(st.lists(st.sampled_from(LOCAL), min_size=1, max_size=4, unique=True))
    start = draw(st.dates(date(2000, 1, 1), date(2090, 12, 31)))
    end = draw(st.none() | st.dates(start, date(2099, 12, 31)))
    return {
        "activity_id": f"H-{number}",
        "title": draw(TEXT),
        "description": draw(st.none() | TEXT),
        "sector": draw(st.sampled_from(FRAMEWORK.sectors)),
        "aims": aims,
        "ways": ways,
        "themes": themes,
        "places": places,
        "start_date": start,
        "end_date": end,
        "status": draw(st.none() | st.sampled_from(["planned", "active", "completed", "paused"])),
        "participants": draw(st.none() | st.integers(0, 10**9)),
        "investment_gbp": draw(st.none() | st.decimals(0, 10**9, places=2, allow_nan=False)),
        "target_groups": draw(st.lists(GROUP, max_size=3, unique=True)),
        # how each name is written: code or label, chosen per activity
        "spelling": draw(st.sampled_from(["code", "label"])),
    }


TABLES = st.integers(1, 6).flatmap(lambda n: st.tuples(*[activity(i) for i in range(n)]))


def spelled(items, how: str) -> str:
    return "; ".join(i.code if how == "code" else i.label for i in items)


def cells(a: dict, for_excel: bool) -> list:
    start, end = a["start_date"], a["end_date"]
    return [
        a["activity_id"],
        a["title"],
        a["description"],
        a["sector"].label,
        "; ".join(p.name if a["spelling"] == "label" else p.code for p in a["places"]),
        spelled(a["aims"], a["spelling"]),
        spelled(a["ways"], a["spelling"]),
        spelled(a["themes"], a["spelling"]),
        start if for_excel else start.strftime("%d/%m/%Y"),
        end if for_excel or end is None else end.isoformat(),
        a["status"],
        a["participants"],
        float(a["investment_gbp"]) if for_excel and a["investment_gbp"] is not None else a["investment_gbp"],
        "; ".join(a["target_groups"]) or None,
    ]


def as_csv(table) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADER)
    for a in table:
        writer.writerow(["" if v is None else v for v in cells(a, for_excel=False)])
    return text.getvalue().encode("utf-8")


def as_xlsx(table) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for a in table:
        values = cells(a, for_excel=True)
        sheet.append(values)
        for cell in sheet[sheet.max_row]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text that starts with '=' stays text, as a partner's typed text does
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.fixture(scope="module")
def roundtrip_con(empty_db_file, tmp_path_factory):
    copy = tmp_path_factory.mktemp("roundtrip") / "roundtrip.duckdb"
    shutil.copy(empty_db_file, copy)
    con = db.connect(copy)
    yield con
    con.close()


def expected(a: dict) -> dict:
    return {
        "activity_id": a["activity_id"],
        "title": a["title"],
        "description": a["description"],
        "sector": a["sector"].code,
        "aims": sorted(i.code for i in a["aims"]),
        "ways": sorted(i.code for i in a["ways"]),
        "themes": sorted(i.code for i in a["themes"]),
        "places": sorted(p.code for p in a["places"]),
        "start_date": a["start_date"],
        "end_date": a["end_date"],
        "status": a["status"],
        "participants": a["participants"],
        "investment_gbp": None if a["investment_gbp"] is None else Decimal(a["investment_gbp"]),
        "target_groups": a["target_groups"] or None,
    }


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=TABLES)
def test_valid_table_round_trips_exactly(roundtrip_con, file_format, table):
    data = as_csv(table) if file_format == "csv" else as_xlsx(table)
    report = import_activities(roundtrip_con, data, f"h.{file_format}", "Property Partner", LOCAL_USER)
    assert report.status == LOADED, [p.as_dict() for p in report.errors]
    try:
        stored = stored_activities(roundtrip_con, report.upload_id)
        keys = list(expected(table[0]))
        assert [{k: s[k] for k in keys} for s in stored] == [expected(a) for a in table]
    finally:
        assert rollback_upload(roundtrip_con, report.upload_id, LOCAL_USER).ok


# Spaces and no-break spaces, as spreadsheets and copy-paste leave them (tabs would change the delimiter guess).
PADDING = st.text(st.sampled_from(" \u00a0"), max_size=3)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(table=TABLES, data=st.data())
def test_spaces_around_any_cell_change_nothing(roundtrip_con, table, data):
    """Cells are trimmed (free text as it is read, the rest where it is matched): padding every cell, empty ones
    included, stores exactly what the unpadded table stores."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(HEADER)
    for a in table:
        writer.writerow(
            [data.draw(PADDING) + ("" if v is None else str(v)) + data.draw(PADDING) for v in cells(a, for_excel=False)]
        )
    report = import_activities(
        roundtrip_con, text.getvalue().encode("utf-8"), "padded.csv", "Property Partner", LOCAL_USER
    )
    assert report.status == LOADED, [p.as_dict() for p in report.errors]
    try:
        stored = stored_activities(roundtrip_con, report.upload_id)
        keys = list(expected(table[0]))
        assert [{k: s[k] for k in keys} for s in stored] == [expected(a) for a in table]
    finally:
        assert rollback_upload(roundtrip_con, report.upload_id, LOCAL_USER).ok
