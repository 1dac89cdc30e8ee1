"""What the Upload page shows of a checked file: row numbers that survive evenly spaced rows, the preview in the
partner's own words (codes kept for the column help), and how the file was read in plain words."""

from __future__ import annotations

import pandas as pd

from strategy.access import LOCAL_USER
from strategy.ingest import import_activities
from strategy.ingest.feedback import partner_preview, problem_tables, read_as
from strategy.ingest.report import Problem
from tests.activity_files import GOOD, csv_bytes, row


def check(con, framework, rows, **kwargs):
    return import_activities(
        con, csv_bytes(rows, **kwargs), "mine.csv", "Feedback Trust", LOCAL_USER, dry_run=True, framework=framework
    )


def test_evenly_spaced_failing_rows_keep_their_row_numbers(empty_con, framework):
    # three copies of one id: rows 2, 3, 4 of the spreadsheet (the header is row 1), evenly spaced
    report = check(empty_con, framework, [GOOD, GOOD, GOOD])
    expected_rows = [str(number) for number in range(2, 2 + 3)]
    tables = dict(problem_tables(report.errors))
    shown = tables["duplicate id"]
    assert list(shown.columns)[0] == "row"
    assert shown["row"].tolist() == expected_rows
    # an ordinary column under a default index: nothing a table hides
    assert isinstance(shown.index, pd.RangeIndex) and "row" not in shown.index.names


def test_groups_keep_first_seen_order_and_the_whole_file_reads_as_such():
    problems = [
        Problem(0, "", "", "No activity_id column.", "missing column"),
        Problem(4, "places", "Mansfeld", "Not a place.", "unknown place"),
        Problem(6, "places", "Bolsovr", "Not a place.", "unknown place"),
    ]
    tables = problem_tables(problems)
    assert [kind for kind, _ in tables] == ["missing column", "unknown place"]
    assert tables[0][1]["row"].tolist() == ["whole file"]
    assert tables[1][1]["row"].tolist() == ["4", "6"]


def test_preview_shows_the_partners_words_and_keeps_codes_for_the_help(empty_con, framework):
    report = check(
        empty_con, framework, [row(places="Derbyshire", sector="voluntary", aims="Children and young people")]
    )
    shown, helps = partner_preview(report.preview, framework)
    derbyshire = next(p for p in framework.places if p.name == "Derbyshire")
    district_codes = sorted(p.code for p in framework.places if p.parent == derbyshire.code)
    assert len(district_codes) == 8
    assert shown.places[0] == "Derbyshire (all 8 districts)"
    assert not any(code in " ".join(shown.places) for code in district_codes)
    assert all(code in helps["places"] for code in district_codes)
    sector = next(s for s in framework.sectors if s.code == "voluntary_community")
    assert shown.sector[0] == f"voluntary → {sector.short}"
    assert "voluntary_community" not in shown.sector[0] and "voluntary_community" in helps["sector"]
    aim = next(a for a in framework.aims if a.code == "A2")
    assert shown.aims[0] == f"Children and young people → {aim.short}"
    assert not [c for c in shown.columns if c.endswith(("_pairs", "_ticked", "_code", "_written"))]


def test_a_name_written_as_the_strategy_writes_it_is_shown_once(empty_con, framework):
    report = check(empty_con, framework, [row(places="Mansfield", sector="Sport")])
    shown, _ = partner_preview(report.preview, framework)
    assert shown.places[0] == "Mansfield" and shown.sector[0] == "Sport"


def test_read_as_in_plain_words():
    assert (
        read_as({"file_type": "CSV", "encoding": "Windows-1252", "delimiter": "comma"})
        == "Excel CSV (Windows), separated by commas"
    )
    assert (
        read_as(
            {
                "file_type": "CSV",
                "encoding": "UTF-16",
                "delimiter": "tab",
                "date_formats": {"DD/MM/YYYY (day first)": 3},
            }
        )
        == "Excel Unicode Text, separated by tabs; dates written DD/MM/YYYY (day first) (3)"
    )
    assert read_as({"file_type": "XLSX", "encoding": None, "delimiter": None}) == "Excel workbook"


def test_a_semicolon_file_in_windows_encoding_is_described_without_jargon(empty_con, framework):
    report = check(empty_con, framework, [row(title="Café walks")], delimiter=";", encoding="cp1252")
    words = read_as(report.assumed)
    assert words.startswith("Excel CSV (Windows), separated by semicolons")
    assert "encoding" not in words and "delimiter" not in words
