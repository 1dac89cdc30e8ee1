"""Empathy maps (quotes pinned to aims and places) and the learning log (commitments and their dates)."""

from datetime import date

import pytest

from strategy import db
from strategy.access import LOCAL_USER
from strategy.filters import Filters
from strategy.learning import commitments, empathy
from strategy.ui.text import plain

MANSFIELD, DERBY, NOTTS = "E07000174", "E06000015", "E10000024"


@pytest.fixture
def con(demo_db_copy):
    con = db.connect(demo_db_copy)
    yield con
    con.close()


@pytest.fixture
def map_id(con, framework):
    return empathy.save_map(con, framework, LOCAL_USER, "Older men in Derby", "group", places=[DERBY]).record_id


def test_notes_land_in_their_quadrant_in_workshop_order(con, framework, map_id):
    empathy.add_note(con, framework, LOCAL_USER, map_id, "do_expect", "Meet at the pub on Fridays.")
    empathy.add_note(con, framework, LOCAL_USER, map_id, "see", "Closed bowling green.")
    notes = empathy.map_notes(con, map_id)
    assert notes.quadrant.tolist() == ["see", "do_expect"]


def test_a_pinned_quote_shows_for_its_aim_and_place_and_not_elsewhere(con, framework, map_id):
    saved = empathy.add_note(
        con,
        framework,
        LOCAL_USER,
        map_id,
        "think_feel",
        "Nobody asks us.",
        "Resident, 71",
        is_quote=True,
        pinned_aims=["A4"],
        pinned_places=[DERBY],
    )
    assert saved.ok
    found = lambda **kw: saved.record_id in empathy.quotes_for(con, framework, Filters(), **kw).note_id.tolist()  # noqa: E731
    assert found(aims=["A4"]) and found(aims=["A4"], places=[DERBY])
    assert not found(aims=["A2"]) and not found(places=[MANSFIELD])
    assert saved.record_id not in empathy.quotes_for(con, framework, Filters(places=(NOTTS,))).note_id.tolist()


def test_a_county_filter_finds_quotes_pinned_to_its_districts(con, framework, map_id):
    saved = empathy.add_note(
        con,
        framework,
        LOCAL_USER,
        map_id,
        "hear",
        "I heard about it at the food bank.",
        is_quote=True,
        pinned_aims=["A3"],
        pinned_places=[MANSFIELD],
    )
    assert saved.record_id in empathy.quotes_for(con, framework, Filters(places=(NOTTS,))).note_id.tolist()


def test_only_quotes_can_be_pinned_and_a_refusal_writes_nothing(con, framework, map_id):
    before = db.table_counts(con)
    saved = empathy.add_note(con, framework, LOCAL_USER, map_id, "nowhere", "", pinned_aims=["A1"])
    assert not saved.ok and len(saved.problems) == 3
    assert db.table_counts(con) == before


def test_markdown_escaping_neutralises_links_html_and_formulas():
    shown = plain("[click](javascript:x) <img src=x> $x$ **bold**")
    assert "\\[click\\]\\(javascript\\:x\\)" in shown and "\\<img" in shown and "\\$x\\$" in shown
    assert "\\*\\*bold\\*\\*" in shown


def reflect(con, framework, **changes):
    fields = dict(
        author="Priya",
        kind="individual",
        heading="purpose",
        reflected_on=date(2026, 3, 1),
        learned="Start from purpose.",
        commitment="Call the housing officer.",
        owner="Priya",
        due_date=date(2026, 4, 1),
        aims=["A3"],
        places=[MANSFIELD],
    )
    return commitments.save_reflection(con, framework, LOCAL_USER, **(fields | changes))


def test_a_commitment_needs_an_owner_and_a_date(con, framework):
    saved = reflect(con, framework, owner="", due_date=None)
    assert not saved.ok and {"Say who owns the commitment.", "Give the commitment a date ('by when')."} <= set(
        saved.problems
    )


def test_commitment_states_follow_today_and_kept_ones_move_last(con, framework):
    late = reflect(con, framework).record_id
    upcoming = reflect(con, framework, commitment="Write to the council.", due_date=date(2026, 9, 1)).record_id
    found = commitments.commitments(con, framework, Filters(), today=date(2026, 6, 30)).set_index("reflection_id")
    assert found.loc[late, "state"] == "past its date" and found.loc[late, "days_past"] == 90
    assert found.loc[upcoming, "state"] == "open"
    commitments.mark_commitment_done(con, LOCAL_USER, late, date(2026, 7, 1))
    again = commitments.commitments(con, framework, Filters(), today=date(2026, 7, 2))
    assert again.set_index("reflection_id").loc[late, "state"] == "kept"
    assert again.state.iloc[-1] == "kept"


def test_partner_filter_keeps_commitments_owned_by_that_partner(con, framework):
    partner = con.execute("SELECT name FROM partners ORDER BY partner_id LIMIT 1").fetchall()[0][0]
    mine = reflect(con, framework, owner=partner).record_id
    other = reflect(con, framework, owner="Someone else").record_id
    shown = commitments.commitments(con, framework, Filters(partners=(partner,))).reflection_id.tolist()
    assert mine in shown and other not in shown


def test_timeline_lists_learning_under_each_aim_in_date_order(con, framework):
    reflect(con, framework, aims=["A3", "A5"], learned="Unique lesson about parks.")
    timeline = commitments.learning_timeline(con, framework, Filters())
    lesson = timeline[timeline.text == "Unique lesson about parks."]
    assert sorted(lesson.aim) == ["A3", "A5"]
    a3 = timeline[timeline.aim == "A3"]
    assert a3.day.is_monotonic_increasing


def test_demo_holds_two_purposes_three_experiments_and_one_commitment_past_its_date(demo_con, framework):
    from strategy.learning import experiments, purposes
    from tests.conftest import DEMO_TODAY

    assert len(purposes.purposes(demo_con, framework, Filters())) == 2
    assert len(experiments.experiments(demo_con, framework, Filters())) == 3
    states = commitments.commitments(demo_con, framework, Filters(), DEMO_TODAY).state.tolist()
    assert states.count("past its date") == 1 and states.count("kept") == 1
    carers = purposes.purposes(demo_con, framework, Filters()).query("group_name.str.contains('Carers')")
    assert int(carers.version.iloc[0]) == 2
