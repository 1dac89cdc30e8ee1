"""Text is text: every page, on a database with hostile values in every text a user can type or upload (and in the
?partner= link), shows those values as written: no image, link, HTML, emphasis or colour directive from them
reaches any element Streamlit renders as Markdown."""

from __future__ import annotations

import re
import shutil
from datetime import date

import pytest
from streamlit.testing.v1 import AppTest

from strategy import db
from strategy.access import LOCAL_USER
from strategy.framework import load_framework
from strategy.ingest import import_activities
from strategy.ingest.report import LOADED
from strategy.learning import commitments, empathy, experiments, involvements, purposes
from tests.activity_files import GOOD, csv_bytes
from tests.app.conftest import PAGES
from tests.apptest import open_app

# Each payload tries one way to make text do something: an outside image, a link, raw HTML, emphasis, Streamlit's
# colour and icon directives, LaTeX, a heading.
PAYLOAD = (
    "![x](http://evil.example/x.png) [click](http://evil.example/go) <img src=http://evil.example/y.png> "
    "**bold** :red[red] :material/warning: $x^2$"
)
# What may not appear unescaped in any Markdown source: the payload's working parts (its links by their address: the
# accessibility statement and privacy notice are the project's own documents, with real links).
RAW = ["](http://evil", "![x]", "[click]", "<img", "**bold**", ":red[", ":material/warning:", "$x^2$"]
ESCAPED = re.compile(r"\\[!-/:-@\[-`{-~]")  # a backslash and the ASCII punctuation character it makes literal


def unescaped_parts(text: str) -> list[str]:
    """The payload's working parts present in text once every escaped character is taken out."""
    live = ESCAPED.sub("\x00", text)
    return [raw for raw in RAW if raw in live]


PARTNER = "Evil Partner " + PAYLOAD


def hostile(field: str) -> str:
    return f"{field}: {PAYLOAD}"


@pytest.fixture(scope="module")
def hostile_db(demo_db_file, tmp_path_factory):
    """The demo database plus a partner, activity, empathy map, notes, experiment, purpose, involvements and
    reflections whose every text field carries the payload; the ids to choose on the learning pages."""
    path = tmp_path_factory.mktemp("hostile") / "hostile.duckdb"
    shutil.copy(demo_db_file, path)
    framework = load_framework()
    con = db.connect(path)
    report = import_activities(
        con,
        csv_bytes(
            [
                {
                    **GOOD,
                    "activity_id": "EVIL-1",
                    "title": hostile("title"),
                    "description": hostile("description"),
                    "places": "Mansfield",
                    "aims": "A1",
                }
            ]
        ),
        "evil.csv",
        PARTNER,
        LOCAL_USER,
    )
    assert report.status == LOADED, report.message
    purpose = purposes.save_purpose(
        con,
        framework,
        LOCAL_USER,
        hostile("group"),
        hostile("what"),
        hostile("why"),
        hostile("benefits"),
        members=hostile("members"),
        places=["E07000174"],
        aims=["A1"],
    )
    assert purpose.ok, purpose.problems
    empathy_map = empathy.save_map(
        con,
        framework,
        LOCAL_USER,
        hostile("subject"),
        "group",
        hostile("map description"),
        places=["E07000174"],
        aims=["A1"],
        purpose_id=purpose.record_id,
    )
    assert empathy_map.ok, empathy_map.problems
    for quadrant in empathy.QUADRANTS:
        note = empathy.add_note(
            con,
            framework,
            LOCAL_USER,
            empathy_map.record_id,
            quadrant,
            hostile("note"),
            source=hostile("source"),
            is_quote=True,
            pinned_aims=["A1"],
            pinned_places=["E07000174"],
        )
        assert note.ok, note.problems
    experiment = experiments.save_experiment(
        con,
        framework,
        LOCAL_USER,
        hostile("experiment"),
        hostile("hypothesis"),
        PARTNER,
        date(2025, 5, 1),
        ["A1"],
        ["E07000174"],
        purpose_id=purpose.record_id,
        review_date=date(2026, 5, 1),
        indicators=["93015"],
        working_signals=hostile("working"),
        failing_signals=hostile("failing"),
        learned=hostile("learned"),
    )
    assert experiment.ok, experiment.problems
    for kind, record in (("purpose", purpose.record_id), ("experiment", experiment.record_id)):
        involved = involvements.add_involvement(
            con,
            framework,
            LOCAL_USER,
            kind,
            record,
            hostile("who"),
            "ally",
            framework.sectors[0].code,
            hostile("involvement note"),
        )
        assert involved.ok, involved.problems
    reflection = commitments.save_reflection(
        con,
        framework,
        LOCAL_USER,
        hostile("author"),
        "individual",
        "purpose",
        date(2025, 6, 1),
        resonated=hostile("resonated"),
        learned=hostile("learned"),
        commitment=hostile("commitment"),
        owner=hostile("owner"),
        due_date=date(2025, 7, 1),
        aims=["A1"],
        places=["E07000174"],
        purpose_id=purpose.record_id,
        experiment_id=experiment.record_id,
    )
    assert reflection.ok, reflection.problems
    con.close()
    return path, {
        "map_choice": empathy_map.record_id,
        "purpose_choice": purpose.record_id,
        "experiment_choice": experiment.record_id,
    }


def rendered_text(app: AppTest) -> list[tuple[str, str]]:
    """(kind, Markdown source) of every element whose text Streamlit renders as Markdown, labels included."""
    found = []
    for kind in (
        "markdown",
        "caption",
        "info",
        "warning",
        "error",
        "success",
        "title",
        "header",
        "subheader",
        "toast",
        "exception",
    ):
        found += [(kind, str(getattr(element, "value", ""))) for element in getattr(app, kind)]
    for kind in (
        "expander",
        "tabs",
        "metric",
        "selectbox",
        "multiselect",
        "text_input",
        "text_area",
        "button",
        "radio",
        "checkbox",
        "date_input",
    ):
        found += [(f"{kind} label", str(getattr(element, "label", ""))) for element in getattr(app, kind)]
    for table in app.table:
        found += [("table cell", str(cell)) for cell in table.value.astype(str).to_numpy().ravel()]
    return found


def open_page(script: str, database, monkeypatch, query: dict | None, state: dict) -> AppTest:
    monkeypatch.setenv("STRATEGY_DB", str(database))
    monkeypatch.setenv("STRATEGY_AUTH", "local")
    return open_app(script, query, state=state, timeout=90, check=False)


@pytest.fixture(autouse=True)
def fresh_cache():
    import streamlit as st

    from strategy.ui import connection

    connection.clear()
    st.cache_data.clear()
    yield
    connection.clear()
    st.cache_data.clear()


@pytest.mark.parametrize("query", [{"partner": PARTNER}, None], ids=["partner-link", "no-filter"])
@pytest.mark.parametrize("script", PAGES)
def test_no_page_renders_stored_or_linked_text_as_markdown(hostile_db, monkeypatch, script, query):
    database, choices = hostile_db
    app = open_page(script, database, monkeypatch, query, choices)
    assert not app.exception, app.exception
    shown = rendered_text(app)
    leaks = [(kind, text, unescaped_parts(text)) for kind, text in shown if unescaped_parts(text)]
    assert not leaks, leaks


def test_the_hostile_values_do_reach_the_pages_escaped(hostile_db, monkeypatch):
    """The walk above sees the values (so its silence means something): they are on the pages, escaped."""
    database, choices = hostile_db
    seen = set()
    for script, query in (
        ("pages/8_Empathy_maps.py", None),
        ("pages/7_Shared_purpose.py", None),
        ("pages/10_Learning_log.py", None),
        ("app.py", {"partner": PARTNER}),
        ("pages/1_Alignment.py", None),
    ):
        app = open_page(script, database, monkeypatch, query, choices)
        for _, text in rendered_text(app):
            if "evil\\.example" in text:
                seen.add(script)
                assert "\\!\\[x\\]\\(http\\:" in text or "\\[click\\]" in text or "\\<img" in text, text
    assert seen == {
        "pages/8_Empathy_maps.py",
        "pages/7_Shared_purpose.py",
        "pages/10_Learning_log.py",
        "app.py",
        "pages/1_Alignment.py",
    }
