"""The upload page in AppTest: templates, a file with mistakes, the fixed file loaded, history and roll back."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from strategy.rounds.organisations import NEW_ORGANISATION
from strategy.ui.text import plain
from tests.activity_files import HOSTILE_DESCRIPTION, csv_bytes, row
from tests.apptest import open_app


def open_upload_page() -> AppTest:
    return open_app("pages/5_Upload.py", check=False)


@pytest.fixture
def demo_db_copy(installed, tmp_path):
    """A private copy of the install's demo database (the upload tests run for every strategy)."""
    import shutil

    copy = tmp_path / "demo.duckdb"
    shutil.copy(installed.demo_db, copy)
    return copy


@pytest.fixture
def example_place(installed) -> str:
    """The name of the place the strategy's messages give as an example, read from its framework file."""
    raw = installed.toml()
    return next(p["name"] for p in raw["places"] if p["code"] == raw["strategy"]["example_place"])


@pytest.fixture
def upload_page(demo_db_copy, monkeypatch):
    monkeypatch.setenv("STRATEGY_DB", str(demo_db_copy))
    from strategy import ui

    ui.connection.clear()
    ui.data_changed()
    at = open_upload_page()
    assert not at.exception
    yield at
    ui.connection.clear()


def choose_organisation(at, partner: str):
    """Choose an existing partner, or add a new one: 'A new organisation…', its name, and the confirmation."""
    if partner in at.selectbox(key="upload_choice").options:
        at.selectbox(key="upload_choice").select(partner).run()
    else:
        at.selectbox(key="upload_choice").select(NEW_ORGANISATION).run()
        at.text_input(key="upload_new_partner").input(partner).run()
        at.checkbox(key="upload_new_confirmed").check().run()
    assert not at.exception, at.exception
    return at


def upload(at, partner: str, name: str, data: bytes):
    choose_organisation(at, partner)
    at.file_uploader(key="upload_file").upload(name, data, "text/csv").run()
    assert not at.exception, at.exception
    return at


def test_page_offers_both_templates(upload_page):
    labels = [b.label for b in upload_page.get("download_button")]
    assert labels == ["Empty Excel template", "CSV template"]


def test_file_with_mistakes_lists_every_problem_grouped_and_writes_nothing(upload_page, demo_db_copy, example_place):
    typo = example_place[:-2] + example_place[-1]  # one letter left out: 'Mansfild'
    bad = csv_bytes(
        [
            row(places=typo),
            row(activity_id="MM-2", start_date="31/02/2024", places=example_place),
            row(activity_id="MM-3", participants="-4", places=example_place),
        ]
    )
    at = upload(upload_page, "Page Trust", "mine.csv", bad)
    assert "3 problem" in at.error[0].value
    assert [e.label for e in at.expander] == ["Unknown place: 1", "Not a date: 1", "Negative number: 1"]
    problems = at.table[0].value
    assert problems["row"].tolist() == ["2"]
    # text, not Markdown
    assert plain(f"Did you mean '{example_place}'?") in problems["what is wrong and how to fix it"].iloc[0]
    assert [b.label for b in at.get("download_button")][-1] == "Download your file with a 'problems' column"
    assert all(b.key != "upload_load" for b in at.button)


def test_valid_file_previews_then_loads_and_can_be_rolled_back(upload_page, demo_db_copy, example_place):
    at = upload(
        upload_page,
        "Page Trust",
        "good.csv",
        csv_bytes(
            [row(places=example_place), row(activity_id="MM-2", description=HOSTILE_DESCRIPTION, places=example_place)]
        ),
    )
    assert "2 activities are ready to load" in at.success[0].value
    changes, preview = at.dataframe[0].value, at.dataframe[1].value
    assert changes.change.tolist() == ["new", "new"]  # a new partner: every activity is new
    assert preview.description.tolist()[1] == HOSTILE_DESCRIPTION  # shown as text in a table, never as HTML
    assert all("<script>" not in m.value for m in at.markdown)
    at.button(key="upload_load").click().run()
    assert not at.exception
    assert "Loaded 2 activities for Page Trust" in at.success[0].value
    history = at.dataframe[-1].value
    assert history.file_name.tolist() == ["good.csv"] and history.status.tolist() == ["loaded"]
    at.button(key="rollback_button").click().run()
    assert "rolled back" in at.success[-1].value
    assert at.dataframe[-1].value.status.tolist() == ["rolled back"]


def test_page_renders_on_an_empty_database(empty_db_file, tmp_path, monkeypatch):
    import shutil

    from strategy import ui

    copy = tmp_path / "empty.duckdb"
    shutil.copy(empty_db_file, copy)
    monkeypatch.setenv("STRATEGY_DB", str(copy))
    ui.connection.clear()
    at = open_upload_page()
    assert not at.exception
    assert any("No uploads yet" in c.value for c in at.caption)
    ui.connection.clear()


def test_evenly_spaced_problems_show_their_row_numbers(upload_page, example_place):
    same = row(places=example_place)  # one id three times: a problem on rows 2, 3 and 4
    at = upload(upload_page, "Page Trust", "twice.csv", csv_bytes([same, same, same]))
    shown = at.table[0].value
    assert "row" in shown.columns and shown["row"].tolist() == ["2", "3", "4"]


def test_preview_reads_in_the_partners_words(upload_page, installed):
    raw = installed.toml()
    county = next(p for p in raw["places"] if p["level"] == "county")
    districts = sum(1 for p in raw["places"] if p.get("parent") == county["code"])
    sector = raw["sectors"][-1]  # written as its label, stored as its code
    at = upload(
        upload_page, "Page Trust", "county.csv", csv_bytes([row(places=county["name"], sector=sector["label"])])
    )
    preview = at.dataframe[-1].value  # the preview is the last table
    assert preview.places.tolist() == [f"{county['name']} (all {districts} districts)"]
    assert preview.sector[0] == sector["label"] and sector["code"] not in preview.sector[0]
    read = next(c.value for c in at.caption if c.value.startswith("Read as"))
    assert "separated by commas" in read and "encoding" not in read and "delimiter" not in read
