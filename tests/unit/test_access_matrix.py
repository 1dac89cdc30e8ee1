"""Every role against every action: allowed exactly where the permission table says, refused with a clear message
elsewhere; and the same through the real write and export functions, against a real database."""

from __future__ import annotations

import pytest

from strategy import access, db, exports
from strategy.access import LOCAL_USER, PERMISSIONS, ROLES, PermissionDenied, User, require
from strategy.audit import audit_entries
from strategy.filters import Filters
from strategy.indicators.importer import import_indicator_file
from strategy.users import add_partner, add_user, list_users
from tests.unit.test_indicator_import import FINGERTIPS_DOWNLOAD

OWN = "Mansfield Community Trust"
OTHER = "Derby County Community Trust"

# What each role may do, written out by hand from the issue (not derived from PERMISSIONS, so a slip in the
# table fails here).
EXPECTED = {
    "viewer": {"read"},
    "partner": {
        "read",
        "import_activities",
        "rollback_activities",
        "edit_learning",
        "see_round_status",
        "see_partner_fit",
    },
    "analyst": {
        "read",
        "import_indicators",
        "export",
        "edit_learning",
        "manage_rounds",
        "see_round_status",
        "record_decisions",
        "save_scenarios",
        "see_partner_fit",
    },
    "admin": set(PERMISSIONS),
}


def user_with(role: str) -> User:
    return User(f"{role}@example.org", role, OWN if role == "partner" else None)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", sorted(PERMISSIONS))
def test_each_role_may_do_exactly_its_actions(role, action):
    user = user_with(role)
    partner = OWN if action in access.PARTNER_SCOPED else None
    if action in EXPECTED[role]:
        assert require(user, action, partner) is user
        assert user.can(action, partner)
    else:
        with pytest.raises(PermissionDenied, match="Ask your administrator") as refusal:
            require(user, action, partner)
        assert f"signed in as {access.ROLE_WORDS[role]}" in str(refusal.value)
        assert not user.can(action, partner)


def test_the_refusal_names_who_may_and_what_to_ask_for():
    with pytest.raises(PermissionDenied) as refusal:
        require(user_with("viewer"), "export")
    assert str(refusal.value) == (
        "Only analysts and admins can export data; you are signed in as a viewer. "
        "Ask your administrator for the analyst role."
    )


@pytest.mark.parametrize("action", sorted(access.PARTNER_SCOPED))
def test_a_partner_acts_only_for_their_own_organisation(action):
    partner = user_with("partner")
    assert require(partner, action, "  mansfield community TRUST ")  # case and spaces do not matter
    with pytest.raises(PermissionDenied, match=f"only for your own organisation, {OWN}, not for {OTHER}"):
        require(partner, action, OTHER)
    with pytest.raises(PermissionDenied, match="only for your own organisation"):
        require(partner, action, None)


def test_a_partner_account_without_an_organisation_can_upload_for_nobody():
    with pytest.raises(PermissionDenied, match="not linked to an organisation"):
        require(User("p@example.org", "partner", None), "import_activities", OWN)


@pytest.mark.parametrize("action", sorted(access.PARTNER_SCOPED))
def test_an_admin_acts_for_any_organisation(action):
    assert require(user_with("admin"), action, OTHER)


def test_a_plain_string_is_not_an_acting_user():
    """A caller that forgot to say who is acting is refused, never treated as the local admin."""
    with pytest.raises(PermissionDenied, match="must know who is acting"):
        require("local", "export")


def test_the_local_user_has_every_right_and_says_so():
    assert all(LOCAL_USER.can(action, OTHER) for action in PERMISSIONS)
    assert LOCAL_USER.label == "Local mode — no sign-in"


def test_unknown_actions_are_a_programming_error_not_a_silent_yes():
    with pytest.raises(KeyError, match="unknown action"):
        require(LOCAL_USER, "delete_everything")


@pytest.mark.parametrize(
    "variable, setting, secrets, expected",
    [
        ("STRATEGY_MODE", "", None, "local"),
        ("STRATEGY_MODE", "local", "[auth]\nclient_id = 'x'\n", "local"),
        ("STRATEGY_AUTH", "local", None, "local"),
        ("STRATEGY_AUTH", "oidc", None, "signin"),
        ("STRATEGY_MODE", "signin", None, "signin"),
    ],
)
def test_the_mode_follows_the_environment_then_whether_a_secrets_file_exists(
    monkeypatch, tmp_path, variable, setting, secrets, expected
):
    monkeypatch.delenv("STRATEGY_MODE", raising=False)
    monkeypatch.delenv("STRATEGY_AUTH", raising=False)
    monkeypatch.setenv(variable, setting)
    file = tmp_path / "secrets.toml"
    if secrets is not None:
        file.write_text(secrets)
    assert access.chosen_mode(files=[file]) == expected


# --- The same matrix through the real functions that write or export --------------------------------------------


@pytest.fixture
def writable(demo_db_copy):
    con = db.connect(demo_db_copy)
    yield con
    con.close()


def _export(con, framework, user):
    return exports.activities_export(con, framework, Filters(places=("E07000174",)), user)


def _import_indicators(con, framework, user):
    return import_indicator_file(con, framework, FINGERTIPS_DOWNLOAD, "indicator-data.csv", user, dry_run=True)


def _manage_users(con, framework, user):
    return add_user(con, user, "new.person@example.org", "viewer")


def _list_users(con, framework, user):
    return list_users(con, user)


def _manage_partners(con, framework, user):
    return add_partner(con, user, "Brand New Walking Group")


def _audit(con, framework, user):
    return audit_entries(con, user)


def _edit_learning(con, framework, user):
    from strategy.learning import purposes

    return purposes.save_purpose(
        con, framework, user, "Carers' group", "Recognise carers.", "Their health suffers.", "Healthier carers."
    )


def _export_board_pack(con, framework, user):
    from strategy.board import pack as board_pack

    try:
        return board_pack.board_pack_bytes(con, framework, Filters(), ".docx", actor=user)
    except board_pack.BoardPackError:  # allowed, then refused for the format: the role check came first
        return "allowed"


CORE_FUNCTIONS = {
    "export": _export,
    "import_indicators": _import_indicators,
    "manage_users": _manage_users,
    "list_users": _list_users,
    "manage_partners": _manage_partners,
    "view_audit_log": _audit,
    "edit_learning": _edit_learning,
    "export_board_pack": _export_board_pack,
}
ACTION_OF = {"list_users": "manage_users", "export_board_pack": "export"}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("name", sorted(CORE_FUNCTIONS))
def test_core_functions_refuse_what_the_role_does_not_allow(writable, framework, role, name):
    user = user_with(role)
    before = writable.execute("SELECT count(*) FROM audit_log").fetchall()[0][0]
    if ACTION_OF.get(name, name) in EXPECTED[role]:
        assert CORE_FUNCTIONS[name](writable, framework, user) is not None
    else:
        with pytest.raises(PermissionDenied):
            CORE_FUNCTIONS[name](writable, framework, user)
        after = writable.execute("SELECT count(*) FROM audit_log").fetchall()[0][0]
        assert after == before  # a refusal changes nothing


def test_every_allowed_change_and_export_is_in_the_audit_log(writable, framework):
    admin = user_with("admin")
    for name in ("export", "manage_users", "manage_partners"):
        CORE_FUNCTIONS[name](writable, framework, admin)
    actions = set(audit_entries(writable, admin).query("actor == 'admin@example.org'").action)
    assert {"export", "add user", "add partner"} <= actions


# --- Partner-scoped: uploads and roll backs through the real ingest functions -----------------------------------


def _upload(con, user, partner, activity_id="OWN-1"):
    from strategy.ingest import import_activities
    from tests.activity_files import csv_bytes, row

    return import_activities(con, csv_bytes([row(activity_id=activity_id)]), f"{activity_id}.csv", partner, user)


@pytest.fixture
def two_partners(writable):
    add_partner(writable, LOCAL_USER, OWN)
    add_partner(writable, LOCAL_USER, OTHER)
    return writable


@pytest.mark.parametrize("role", ROLES)
def test_uploads_follow_the_role_and_a_partner_uploads_only_for_their_own_organisation(two_partners, role):
    user = user_with(role)
    for partner, activity_id in [(OWN, f"{role}-OWN"), (OTHER, f"{role}-OTHER")]:
        allowed = role == "admin" or (role == "partner" and partner == OWN)
        before = two_partners.execute("SELECT count(*) FROM uploads").fetchall()[0][0]
        if allowed:
            assert _upload(two_partners, user, partner, activity_id).status == "loaded"
        else:
            with pytest.raises(PermissionDenied):
                _upload(two_partners, user, partner, activity_id)
            assert two_partners.execute("SELECT count(*) FROM uploads").fetchall()[0][0] == before


@pytest.mark.parametrize("role", ROLES)
def test_roll_backs_follow_the_role_and_a_partner_rolls_back_only_their_own(two_partners, role):
    from strategy.ingest import rollback_upload

    own = _upload(two_partners, LOCAL_USER, OWN, "R-OWN").upload_id
    other = _upload(two_partners, LOCAL_USER, OTHER, "R-OTHER").upload_id
    user = user_with(role)
    for upload_id, partner in [(own, OWN), (other, OTHER)]:
        allowed = role == "admin" or (role == "partner" and partner == OWN)
        if allowed:
            assert rollback_upload(two_partners, upload_id, user).ok
        else:
            with pytest.raises(PermissionDenied):
                rollback_upload(two_partners, upload_id, user)
            status = two_partners.execute("SELECT status FROM uploads WHERE upload_id = ?", [upload_id]).fetchall()
            assert status == [("loaded",)]


def test_uploads_and_roll_backs_are_in_the_audit_log_with_who_did_them(two_partners):
    from strategy.ingest import rollback_upload

    partner = user_with("partner")
    upload_id = _upload(two_partners, partner, OWN, "AUD-1").upload_id
    rollback_upload(two_partners, upload_id, partner)
    log = audit_entries(two_partners, LOCAL_USER)
    mine = log[(log.actor == partner.email) & (log.upload_id == upload_id)]
    assert {"upload activities", "roll back upload"} <= set(mine.action)
