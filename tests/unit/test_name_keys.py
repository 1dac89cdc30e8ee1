"""One rule for partner names and emails: the permission check, the database look-ups and every uniqueness check
agree, for any Unicode name."""

from __future__ import annotations

import unicodedata
from datetime import date

import duckdb
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from strategy import db
from strategy.access import LOCAL_USER, PermissionDenied, User, require, same_partner
from strategy.ingest import import_activities, rollback_upload
from strategy.ingest.report import LOADED
from strategy.names import name_key
from strategy.users import UserProblem, add_partner, add_user, find_user
from tests.activity_files import GOOD, csv_bytes


def independent_key(text: str) -> str:
    """The rule written out again, step by step, for the tests: compatibility form, case fold, compatibility form
    again, white space collapsed and stripped."""
    text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    text = unicodedata.normalize("NFKC", text)
    return " ".join(part for part in text.split() if part)


def partners(con) -> list[tuple[int, str]]:
    return con.execute("SELECT partner_id, name FROM partners ORDER BY partner_id").fetchall()


# --- the rule itself ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "a, b",
    [
        ("Strasse Club", "Straße Club"),
        ("Amber Valley Leisure Trust", "Amber Valley Lei\u017fure Tru\u017ft"),  # long s
        ("kate@example.org", "\u212aate@example.org"),  # Kelvin sign
        ("kate@example.org", "\uff4b\uff41\uff54\uff45@example.org"),  # full-width letters
        ("Ashfield  Runners", " ashfield\u00a0RUNNERS\t"),
    ],
)
def test_look_alike_spellings_share_one_key(a, b):
    assert name_key(a) == name_key(b) == independent_key(b)
    assert same_partner(a, b)


def test_different_names_stay_different():
    assert not same_partner("Ashfield Runners", "Ashfield Runner")
    assert not same_partner("", "")  # a blank name is nobody's


@given(st.text())
def test_the_key_follows_the_written_rule_and_is_stable(text):
    assert name_key(text) == independent_key(text)
    assert name_key(name_key(text)) == name_key(text)


# --- the permission check and the database agree ----------------------------------------------------------------


def _variants(draw_from: st.DataObject, name: str) -> str:
    how = draw_from.draw(st.sampled_from(["same", "upper", "casefold", "nfkd", "spaces", "other"]))
    if how == "upper":
        return name.upper()
    if how == "casefold":
        return name.casefold()
    if how == "nfkd":
        return unicodedata.normalize("NFKD", name)
    if how == "spaces":
        return "  " + name.replace(" ", " \u00a0 ") + "\t"
    if how == "other":
        return draw_from.draw(st.text(min_size=1, max_size=12))
    return name


@pytest.fixture(scope="module")
def scratch(empty_db_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("names") / "names.duckdb"
    path.write_bytes(empty_db_file.read_bytes())
    con = db.connect(path)
    yield con
    con.close()


NAMES = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=12).filter(lambda t: name_key(t))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAMES, data=st.data())
def test_the_permission_check_and_the_database_lookup_agree_for_any_name(scratch, name, data):
    """A partner user for `name` may upload for `other` exactly when the database finds `name`'s organisation under
    `other`; and adding `other` as a new organisation is refused exactly then (no look-alike is created)."""
    other = _variants(data, name)
    scratch.execute("DELETE FROM users; DELETE FROM partners")
    add_partner(scratch, LOCAL_USER, name)
    ((partner_id, stored),) = partners(scratch)
    user = User("p@example.org", "partner", stored)
    allowed = user.can("import_activities", other)
    found = db.query(scratch, "partner_by_name", partner_key=name_key(other))
    assert allowed == (len(found) == 1 and int(found.partner_id.iloc[0]) == partner_id)
    assert allowed == (independent_key(other) == independent_key(name) != "")
    if not name_key(other):
        return
    try:
        add_partner(scratch, LOCAL_USER, other)
        created = True
    except UserProblem:
        created = False
    assert created == (not allowed)


LOCAL_PARTS = st.text(
    st.characters(blacklist_categories=("Cs", "Zs", "Zl", "Zp", "Cc"), blacklist_characters="@"), min_size=1, max_size=8
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(local=LOCAL_PARTS, data=st.data())
def test_a_user_is_found_under_an_email_exactly_when_the_keys_agree(scratch, local, data):
    email = local + "@example.org"
    other = _variants(data, email)
    scratch.execute("DELETE FROM users")
    try:
        add_user(scratch, LOCAL_USER, email, "viewer")
    except UserProblem:
        assume(False)  # not an address the table can hold (said so to the admin); nothing to look up
    found = find_user(scratch, other)
    assert (found is not None) == (independent_key(other) == independent_key(email))


# --- the cases that went wrong ---------------------------------------------------------------------------------


@pytest.fixture
def demo_writable(demo_db_copy):
    con = db.connect(demo_db_copy)
    yield con
    con.close()


def test_a_partner_imports_and_rolls_back_under_any_spelling_of_their_own_name(demo_writable):
    con = demo_writable
    add_partner(con, LOCAL_USER, "Strasse Club")
    add_user(con, LOCAL_USER, "pat@example.org", "partner", "Strasse Club")
    pat = find_user(con, "pat@example.org")
    before = partners(con)
    report = import_activities(con, csv_bytes([GOOD]), "ours.csv", "Straße Club", pat)
    assert report.status == LOADED, report.message
    assert partners(con) == before  # loaded into their own organisation, not a new one
    owner = con.execute(
        "SELECT p.name FROM uploads u JOIN partners p USING (partner_id) WHERE u.upload_id = ?", [report.upload_id]
    ).fetchall()
    assert owner == [("Strasse Club",)]
    assert rollback_upload(con, report.upload_id, pat).ok


def test_a_look_alike_organisation_is_the_same_organisation(demo_writable):
    con = demo_writable
    add_partner(con, LOCAL_USER, "Amber Valley Leisure Trust Ltd")
    with pytest.raises(UserProblem, match="already a partner organisation"):
        add_partner(con, LOCAL_USER, "Amber Valley Lei\u017fure Tru\u017ft Ltd")
    before = partners(con)
    report = import_activities(con, csv_bytes([GOOD]), "a.csv", "AMBER VALLEY LEI\u017fURE TRU\u017fT LTD", LOCAL_USER)
    assert report.status == LOADED and not report.partner_created
    assert partners(con) == before


def test_an_email_with_a_kelvin_sign_or_full_width_letters_is_the_same_user(demo_writable):
    con = demo_writable
    add_user(con, LOCAL_USER, "\u212aate@example.org", "viewer")
    assert find_user(con, "kate@example.org").email == "kate@example.org"
    assert find_user(con, "\uff4b\uff41\uff54\uff45@example.org").email == "kate@example.org"
    with pytest.raises(UserProblem, match="already a user"):
        add_user(con, LOCAL_USER, "\uff2b\uff21\uff34\uff25@EXAMPLE.org", "analyst")


def test_a_database_from_before_the_keys_gets_them_on_migrate(tmp_path):
    """Rows written before migration 062 (or by a loader that wrote names directly) are given their keys."""
    con = duckdb.connect(str(tmp_path / "old.duckdb"))
    db.migrate(con)
    con.execute("INSERT INTO partners (partner_id, name) VALUES (7, 'Stra\u00dfe Club')")
    db.migrate(con)
    assert con.execute("SELECT name_key FROM partners").fetchall() == [(independent_key("Straße Club"),)]
    found = db.query(con, "partner_by_name", partner_key=name_key("STRASSE club"))
    assert list(found.partner_id) == [7]
    with pytest.raises(PermissionDenied):
        require(User("p@example.org", "partner", "Strasse Club"), "import_activities", "Strasse Clubs")
    con.close()


def test_the_partner_filter_finds_a_partner_under_any_spelling(demo_writable, framework):
    """?partner=STRASSE%20club shows the same activities as ?partner=Straße%20Club: the filter compares keys too."""
    from strategy import analysis
    from strategy.filters import Filters
    from strategy.learning import experiments

    con = demo_writable
    report = import_activities(con, csv_bytes([GOOD]), "ours.csv", "Straße Club", LOCAL_USER)
    assert report.status == LOADED
    assert experiments.save_experiment(
        con,
        framework,
        LOCAL_USER,
        "Walk to school",
        "If ..., then ...",
        "Straße Club",
        date(2025, 5, 1),
        ["A1"],
        ["E07000174"],
    ).ok
    exact = analysis.headline_totals(con, framework, Filters(partners=("Straße Club",)))
    assert exact["activities"] == 2  # the upload's activity and the experiment's (counted by an independent route:)
    assert (
        con.execute(
            "SELECT count(*) FROM activities a JOIN partners p USING (partner_id) WHERE p.name = "
            "'Straße Club' AND a.replaced_by_upload IS NULL"
        ).fetchall()[0][0]
        == 2
    )
    for spelling in ("STRASSE club", " strasse\u00a0CLUB "):
        assert analysis.headline_totals(con, framework, Filters(partners=(spelling,))) == exact
        listed = experiments.experiments(con, framework, Filters(partners=(spelling,)))
        assert list(listed.title) == ["Walk to school"]
