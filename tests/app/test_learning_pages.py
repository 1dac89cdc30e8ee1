"""AppTest of the learning workspace pages: they follow the filters and save (that they render on demo and empty
data: tests/app/test_pages.py)."""

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from strategy.ui import connection
from tests.apptest import open_app


def run(page: str, monkeypatch, database: Path) -> AppTest:
    monkeypatch.setenv("STRATEGY_DB", str(database))
    return open_app(page, check=False)


@pytest.fixture(autouse=True)
def fresh_cache():
    """Each test gets its own cached connection (the database file changes between tests)."""
    import streamlit as st

    st.cache_resource.clear()
    st.cache_data.clear()
    yield
    st.cache_resource.clear()
    st.cache_data.clear()


def test_place_filter_narrows_the_experiment_register(monkeypatch, demo_db_copy):
    at = run("pages/9_Experiments.py", monkeypatch, demo_db_copy)
    everything = len(at.dataframe[0].value)
    at.multiselect(key="filter_places").set_value(["E06000018"]).run()  # Nottingham
    narrowed = at.dataframe[0].value
    assert 0 < len(narrowed) < everything
    assert all("Nottingham" in places for places in narrowed.places)


def test_aim_filter_narrows_the_purpose_list(monkeypatch, demo_db_copy):
    at = run("pages/7_Shared_purpose.py", monkeypatch, demo_db_copy)
    assert len(at.selectbox(key="purpose_choice").options) == 3  # two purposes and 'new'
    at.multiselect(key="filter_aims").set_value(["A2"]).run()
    options = at.selectbox(key="purpose_choice").options
    assert len(options) == 2 and any("Bolsover" in o for o in options)


def test_writing_a_purpose_saves_it_with_a_word_count(monkeypatch, demo_db_copy):
    at = run("pages/7_Shared_purpose.py", monkeypatch, demo_db_copy)
    at.selectbox(key="purpose_choice").set_value(0).run()
    at.text_input(key="pn_0_0").input("Cycling mums").run()
    for field, text in (
        ("what_text", "Get mums cycling to school."),
        ("why_text", "Short trips by car."),
        ("benefits_text", "Fitter families and cleaner air."),
    ):
        at.text_area(key=f"{field}_0_0").input(text).run()
    assert any("**14 words**" in m.value for m in at.markdown)
    at.button[0].click().run()
    assert not at.exception
    chosen = at.selectbox(key="purpose_choice")
    assert chosen.value != 0 and chosen.format_func(chosen.value) == "Cycling mums"  # the new purpose is shown
    saved = (
        connection(str(demo_db_copy))
        .execute(
            "SELECT v.words, p.created_by FROM purposes p JOIN purpose_versions v USING (purpose_id) "
            "WHERE p.group_name = 'Cycling mums'"
        )
        .fetchall()
    )
    assert saved == [(14, "local")]


def test_a_refused_save_shows_every_problem(monkeypatch, demo_db_copy):
    at = run("pages/7_Shared_purpose.py", monkeypatch, demo_db_copy)
    at.selectbox(key="purpose_choice").set_value(0).run()
    at.button[0].click().run()
    assert at.error and "Give the group a name" in at.error[0].value and "What do we want to do" in at.error[0].value


def test_alignment_drill_down_shows_quotes_pinned_to_the_cell(monkeypatch, demo_db_copy):
    at = run("pages/1_Alignment.py", monkeypatch, demo_db_copy)
    at.selectbox(key="cell_row_aim").set_value("A3").run()
    quotes = [box.value for box in at.info]
    assert any("bring my little brother" in q for q in quotes)
    at.selectbox(key="cell_row_aim").set_value("A5").run()
    assert not any("bring my little brother" in box.value for box in at.info)


def test_an_experiments_trend_chart_marks_its_start(monkeypatch, demo_db_copy):
    import json

    at = run("pages/9_Experiments.py", monkeypatch, demo_db_copy)
    charts = at.get("plotly_chart")
    assert charts, "the watched indicator's trend is drawn"
    spec = json.loads(charts[0].proto.spec)
    chosen = at.selectbox(key="experiment_choice")
    title = chosen.format_func(chosen.value)
    assert any(shape["line"]["dash"] == "dash" for shape in spec["layout"]["shapes"])
    assert any(title[:30] in annotation["text"] for annotation in spec["layout"]["annotations"])


def test_learning_log_carries_the_workshops_getting_practical_prompts(monkeypatch, demo_db_copy):
    at = run("pages/10_Learning_log.py", monkeypatch, demo_db_copy)
    prompts = " ".join(m.value for m in at.markdown)
    assert "Which meetings aren't helpful?" in prompts and "Who can we learn from?" in prompts
