"""Exports hold exactly what the filters select, and no cell can run as a formula."""

import io

import openpyxl
import pandas as pd
import pytest

from strategy import analysis, db, exports
from strategy.access import LOCAL_USER
from strategy.filters import Filters

FORMULA_LIKE = [
    '=HYPERLINK("http://x")',
    "+1",
    "-2+3",
    "@SUM(A1)",
    "\tcmd",
    "\rcmd",
    "\n=1+1",
    "  =1+1",
    "\u00a0=1+1",
    " \u00a0 +1",
    "\uff1d1+1",
    "\uff0b1",
    "\uff0d1",
    "\uff20SUM(A1)",
    "-5k challenge",
]


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_formula_like_text_is_neutralised(text):
    assert exports.formula_safe(text) == "'" + text


@pytest.mark.parametrize("value", ["Walking group", "", "a=b", 42, None, -5, " Walking", "\u00a05k", "x\uff1d1"])
def test_other_values_are_unchanged(value):
    assert exports.formula_safe(value) == value


def test_export_holds_exactly_the_filtered_activities(demo_db_copy, framework):
    demo_con = db.connect(demo_db_copy)  # an export is written to the audit log
    filters = Filters(places=("E10000024",), aims=("A3",))
    table = exports.activities_export(demo_con, framework, filters, LOCAL_USER)
    assert len(table) == analysis.headline_totals(demo_con, framework, filters)["activities"]
    assert table.aims.str.contains("A3").all()
    assert table.investment_in_selected_places_and_period.sum() == pytest.approx(
        analysis.headline_totals(demo_con, framework, filters)["investment"]
    )


def test_csv_and_xlsx_exports_neutralise_formulas(tmp_path):
    table = pd.DataFrame({"title": ["=cmd|' /C calc'!A0", "Safe title"], "investment_gbp": [10.0, 20.0]})
    csv_path = exports.write_table(table, tmp_path / "out.csv")
    assert "'=cmd" in csv_path.read_text(encoding="utf-8-sig")
    xlsx_path = exports.write_table(table, tmp_path / "out.xlsx", filters_text="=evil")
    book = openpyxl.load_workbook(xlsx_path)
    sheet = book.worksheets[0]
    # text, exactly as written, marked so that editing it in Excel keeps it text
    assert sheet["A2"].value == "=cmd|' /C calc'!A0" and sheet["A2"].data_type == "s" and sheet["A2"].quotePrefix
    assert not sheet["A3"].quotePrefix
    assert book["About"]["A2"].value.startswith("Filters: =evil")  # starts with 'Filters', so not a formula


@pytest.mark.parametrize("text", FORMULA_LIKE + ["#N/A"])
def test_xlsx_export_keeps_formula_like_text_as_text_without_an_apostrophe(text):
    data = exports.table_bytes(pd.DataFrame({"title": [text]}), "xlsx")
    cell = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]["A2"]
    assert (cell.value, cell.data_type) == (text, "s")
    assert cell.quotePrefix == (text != "#N/A")


def test_a_failed_write_leaves_no_partial_file(tmp_path, monkeypatch):
    target = tmp_path / "out.xlsx"

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(exports.os, "replace", broken)
    with pytest.raises(OSError):
        exports.write_table(pd.DataFrame({"a": [1]}), target)
    assert list(tmp_path.iterdir()) == []


def test_a_stored_control_character_does_not_break_an_excel_export():
    data = exports.table_bytes(pd.DataFrame({"title": ["Walk\x00ing", "Bell\x07"], "n": [1, 2]}), "xlsx")
    sheet = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    assert [sheet["A2"].value, sheet["A3"].value] == ["Walk\ufffding", "Bell\ufffd"]
