"""Shared purposes: word counts, versions kept, nothing written on bad input, the card escapes user text."""

import pytest

from strategy import db
from strategy.access import LOCAL_USER, User
from strategy.filters import Filters
from strategy.learning import purposes


@pytest.fixture
def con(demo_db_copy):
    con = db.connect(demo_db_copy)
    yield con
    con.close()


def audit_rows(con, action):
    return con.execute("SELECT actor, detail FROM audit_log WHERE action = ? ORDER BY audit_id", [action]).fetchall()


def test_word_count_counts_hyphenated_words_and_contractions_once():
    assert purposes.word_count("We'll co-design it", "with carers.", None) == 5


def test_long_purpose_gets_a_gentle_prompt_and_short_one_none():
    assert purposes.length_prompt(purposes.WORD_GUIDE) is None
    prompt = purposes.length_prompt(purposes.LONG_AFTER + 1)
    assert f"{purposes.LONG_AFTER + 1} words" in prompt and "good enough" in prompt.lower()


def test_new_purpose_is_version_one_with_its_word_count_and_an_audit_row(con, framework):
    saved = purposes.save_purpose(
        con,
        framework,
        User("lead@example.org", "partner", "Walking group"),
        "Walking group",
        "Walk more together.",
        "Loneliness.",
        "Friends and fitness.",
        places=["E07000174"],
        aims=["A1"],
    )
    assert saved.ok
    versions = purposes.purpose_versions(con, saved.record_id)
    assert versions.version.tolist() == [1] and versions.words[0] == 7
    assert audit_rows(con, "purpose saved")[-1][0] == "lead@example.org"


def test_changed_wording_adds_a_version_and_keeps_the_old_one(con, framework):
    first = purposes.save_purpose(con, framework, LOCAL_USER, "Group", "Do a thing.", "Because.", "Better lives.")
    purposes.save_purpose(
        con,
        framework,
        LOCAL_USER,
        "Group",
        "Do a better thing.",
        "Because.",
        "Better lives.",
        purpose_id=first.record_id,
    )
    versions = purposes.purpose_versions(con, first.record_id)
    assert versions.version.tolist() == [2, 1]
    assert versions.what_text.tolist() == ["Do a better thing.", "Do a thing."]


def test_saving_the_same_wording_again_adds_no_version(con, framework):
    first = purposes.save_purpose(con, framework, LOCAL_USER, "Group", "Do a thing.", "Because.", "Better lives.")
    purposes.save_purpose(
        con,
        framework,
        LOCAL_USER,
        "Group renamed",
        "Do a thing.",
        "Because.",
        "Better lives.",
        purpose_id=first.record_id,
    )
    assert purposes.purpose_versions(con, first.record_id).version.tolist() == [1]
    shown = purposes.purposes(con, framework, Filters())
    assert "Group renamed" in shown.group_name.tolist()


def test_missing_answers_are_all_reported_and_nothing_is_written(con, framework):
    before = db.table_counts(con)
    saved = purposes.save_purpose(con, framework, LOCAL_USER, "", "", "Because.", "", aims=["A9"])
    assert not saved.ok and saved.record_id is None
    assert len(saved.problems) == 4  # name, two answers, unknown aim
    assert any("A9" in p for p in saved.problems)
    assert db.table_counts(con) == before


def test_a_county_stands_for_its_districts_and_the_place_filter_narrows_the_list(con, framework):
    saved = purposes.save_purpose(
        con, framework, LOCAL_USER, "Notts group", "Do.", "Why.", "Benefit.", places=["E10000024"]
    )
    in_mansfield = purposes.purposes(con, framework, Filters(places=("E07000174",)))
    in_derby = purposes.purposes(con, framework, Filters(places=("E06000015",)))
    assert saved.record_id in in_mansfield.purpose_id.tolist()
    assert saved.record_id not in in_derby.purpose_id.tolist()


def test_aim_filter_keeps_partnership_wide_purposes_and_drops_other_aims(con, framework):
    wide = purposes.save_purpose(con, framework, LOCAL_USER, "Everyone", "Do.", "Why.", "Benefit.")
    other = purposes.save_purpose(con, framework, LOCAL_USER, "Places only", "Do.", "Why.", "Benefit.", aims=["A5"])
    shown = purposes.purposes(con, framework, Filters(aims=("A2",))).purpose_id.tolist()
    assert wide.record_id in shown and other.record_id not in shown


def test_card_escapes_user_text(con, framework):
    saved = purposes.save_purpose(
        con, framework, LOCAL_USER, "<script>alert(1)</script>", "Do <b>this</b>.", "Why.", "Benefit."
    )
    row = purposes.purposes(con, framework, Filters()).set_index("purpose_id").loc[saved.record_id]
    row["purpose_id"] = saved.record_id
    card = purposes.purpose_card_html(row, framework)
    assert "<script>" not in card and "&lt;script&gt;" in card and "Do &lt;b&gt;this&lt;/b&gt;." in card
    assert "@page" in card  # prints as one A4 page
