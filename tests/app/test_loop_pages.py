"""The loop's journeys in AppTest: a decision recorded on a view opens the next pack, where a partner fits after an
upload and on its own page, and a what-if scenario saved from Coverage and gaps."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from strategy.board import slides
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.loop import scenarios
from strategy.ui.text import plain
from tests.activity_files import csv_bytes, row
from tests.app.test_upload_page import choose_organisation
from tests.apptest import open_app


@pytest.fixture
def database(demo_db_copy, monkeypatch):
    monkeypatch.setenv("STRATEGY_DB", str(demo_db_copy))
    from strategy import ui

    ui.connection.clear()
    ui.data_changed()
    yield demo_db_copy
    ui.connection.clear()
    ui.data_changed()


def server_connection():
    """The page's own connection to the file (the process cannot open it a second time, as the server cannot)."""
    from strategy import ui

    return ui.connection(ui.database_file())


def open_page(script: str, query: dict | None = None, state: dict | None = None) -> AppTest:
    return open_app(script, query, state=state, timeout=90)


def test_a_decision_recorded_on_a_view_opens_the_next_pack_with_its_state(database):
    # the form is drawn once its expander is opened
    at = open_page("pages/2_Coverage_and_gaps.py", {"place": "E07000033"}, state={"decision_open": True})
    at.text_input(key="decision_what").input("Fund a youth offer in Bolsover")
    at.text_input(key="decision_owner").input("Bolsover District Council")
    at.button(key="FormSubmitter:decision_form-Record the decision").click().run()
    assert not at.exception, at.exception
    assert any(plain("Recorded decision 1: Fund a youth offer in Bolsover") in s.value for s in at.success)

    at = open_page("pages/6_Presentation.py")
    assert at.header[0].value == plain("Since last time: 1 board decision, 1 open.")
    shown = at.dataframe[0].value
    assert shown["Decision"].tolist() == ["Fund a youth offer in Bolsover"]
    assert shown["Owner"].tolist() == ["Bolsover District Council"] and shown["State"].tolist() == ["Open"]
    at.selectbox(key="decision_states_state").set_value("in_progress")
    at.button(key="decision_states_change").click().run()
    assert not at.exception, at.exception
    assert at.header[0].value == plain("Since last time: 1 board decision, 1 in progress.")
    stored = server_connection().execute("SELECT view_query, view_page, state FROM decisions").fetchall()
    assert stored == [("place=E07000033", "Coverage and gaps", "in_progress")]


def test_where_you_fit_follows_a_successful_upload(database):
    at = open_page("pages/5_Upload.py")
    choose_organisation(at, "Bolsover Young Movers")  # a new organisation, chosen as a partner would
    fresh = row(activity_id="BYM-1", places="Bolsover", aims="A2", start_date="2026-02-01", end_date="2026-11-30")
    at.file_uploader(key="upload_file").upload("bym.csv", csv_bytes([fresh]), "text/csv").run()
    at.button(key="upload_load").click().run()
    assert not at.exception, at.exception
    assert any(s.value.startswith("Where Bolsover Young Movers") for s in at.subheader)
    filled = at.dataframe[0].value  # the first table after the upload: the gaps filled
    assert ("Bolsover", "no activity (0)") in zip(filled.Place, filled["Before you"])


def test_where_you_fit_page_for_a_chosen_partner(database):
    at = open_page("pages/13_Where_you_fit.py")
    partner = at.selectbox(key="fit_partner").options[0]
    at.selectbox(key="fit_partner").set_value(partner).run()
    assert not at.exception, at.exception
    assert any(
        "other partners work on the same aims" in m.value or "no activities running" in m.value for m in at.markdown
    )


def test_a_scenario_saved_on_coverage_and_gaps_is_in_the_pack_marked_and_apart(database):
    at = open_page("pages/2_Coverage_and_gaps.py", state={"whatif_open": True})  # the what-if, opened
    assert any(m.value.startswith("**Scenario, not actual.**") for m in at.markdown)
    at.text_input(key="whatif_name").input("A quarter of a million by need")
    at.button(key="FormSubmitter:whatif_save-Save scenario").click().run()
    assert not at.exception, at.exception
    con = server_connection()
    saved = scenarios.saved_scenarios(con)
    pack = slides.board_slides(con, load_framework(), Filters())
    assert saved.name.tolist() == ["A quarter of a million by need"] and saved.amount.tolist() == [250_000]
    assert pack[-1].key.startswith("scenario_") or any(s.key.startswith("scenario_") for s in pack)
    assert next(s for s in pack if s.key.startswith("scenario_")).headline.startswith("Scenario, not actual")
