"""Users and partner organisations: kept in the database, changed only by admins, every change audited; and the
command line acting as a named user."""

from __future__ import annotations

import json

import pytest

from strategy import db
from strategy.__main__ import main
from strategy.access import LOCAL_USER, PermissionDenied, User
from strategy.audit import audit_entries
from strategy.users import UserProblem, add_partner, add_user, change_user, deactivate_user, find_user, signed_in_user

PARTNER = "Mansfield Community Trust"


@pytest.fixture
def con(empty_db_file, tmp_path):
    path = tmp_path / "users.duckdb"
    path.write_bytes(empty_db_file.read_bytes())
    con = db.connect(path)
    add_partner(con, LOCAL_USER, PARTNER, "voluntary_community")
    yield con
    con.close()


def test_emails_are_stored_lower_case_and_found_in_any_case(con):
    add_user(con, LOCAL_USER, "  Ann.Partner@Example.ORG ", "partner", "mansfield community trust")
    assert find_user(con, "ANN.PARTNER@example.org") == User("ann.partner@example.org", "partner", PARTNER)


def test_each_change_is_audited_with_who_and_what(con):
    add_user(con, LOCAL_USER, "ann@example.org", "partner", PARTNER)
    change_user(con, LOCAL_USER, "ann@example.org", "analyst")
    deactivate_user(con, LOCAL_USER, "ann@example.org")
    log = audit_entries(con, LOCAL_USER)
    assert list(log.action[:4]) == ["deactivate user", "change user", "add user", "add partner"]
    assert set(log.actor[:4]) == {"local"}
    assert log.detail.iloc[1] == f"ann@example.org: partner for {PARTNER} -> analyst"


def test_a_deactivated_user_cannot_sign_in_and_is_told_politely(con):
    add_user(con, LOCAL_USER, "ann@example.org", "viewer")
    deactivate_user(con, LOCAL_USER, "ann@example.org")
    with pytest.raises(PermissionDenied, match="Ask your administrator to add you"):
        signed_in_user(con, "ann@example.org")
    add_user(con, LOCAL_USER, "ann@example.org", "analyst")  # adding again makes them active, with the new role
    assert signed_in_user(con, "Ann@example.org").role == "analyst"


@pytest.mark.parametrize(
    "email, role, partner, message",
    [
        ("not-an-email", "viewer", None, "not an email address"),
        ("local", "admin", None, "not an email address"),
        ("a@example.org", "superuser", None, "not a role"),
        ("a@example.org", "partner", None, "must belong to a partner organisation"),
        ("a@example.org", "partner", "No Such Trust", "no partner organisation called 'No Such Trust'"),
        ("a@example.org", "analyst", PARTNER, "Only partner users belong to an organisation"),
    ],
)
def test_bad_user_details_are_refused_with_what_to_change(con, email, role, partner, message):
    with pytest.raises(UserProblem, match=message):
        add_user(con, LOCAL_USER, email, role, partner)
    assert find_user(con, email) is None


def test_the_last_admin_cannot_be_removed_or_demoted(con):
    add_user(con, LOCAL_USER, "boss@example.org", "admin")
    with pytest.raises(UserProblem, match="only admin"):
        change_user(con, LOCAL_USER, "boss@example.org", "viewer")
    with pytest.raises(UserProblem, match="only admin"):
        deactivate_user(con, LOCAL_USER, "boss@example.org")
    boss = find_user(con, "boss@example.org")
    with pytest.raises(UserProblem, match="cannot deactivate yourself"):
        deactivate_user(con, boss, "boss@example.org")


def test_a_duplicate_user_is_refused(con):
    add_user(con, LOCAL_USER, "ann@example.org", "viewer")
    with pytest.raises(UserProblem, match="already a user"):
        add_user(con, LOCAL_USER, "ANN@example.org", "admin")


# --- The command line --------------------------------------------------------------------------------------------


@pytest.fixture
def database(empty_db_file, tmp_path):
    path = tmp_path / "cli.duckdb"
    path.write_bytes(empty_db_file.read_bytes())
    return str(path)


def test_users_add_and_list_from_the_command_line(database, capsys, monkeypatch):
    monkeypatch.setenv("STRATEGY_MODE", "local")
    assert main(["--db", database, "partners", "add", PARTNER]) == 0
    assert main(["--db", database, "users", "add", "Ann@Example.org", "--role", "partner", "--partner", PARTNER]) == 0
    capsys.readouterr()
    assert main(["--db", database, "users", "list", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(u["email"], u["role"], u["partner"]) for u in listed] == [("ann@example.org", "partner", PARTNER)]


def test_in_sign_in_mode_the_command_line_must_say_who_is_acting(database, capsys, signin_secrets):
    # The first admin may be added without --as: nobody could sign in to do it otherwise.
    assert main(["--db", database, "users", "add", "boss@example.org", "--role", "admin"]) == 0
    assert main(["--db", database, "users", "add", "viewer@example.org", "--role", "viewer"]) == 2
    assert "add --as EMAIL" in capsys.readouterr().err
    assert (
        main(["--db", database, "--as", "boss@example.org", "users", "add", "viewer@example.org", "--role", "viewer"])
        == 0
    )
    # A viewer is refused (exit 1) with the reason, wherever --as is written.
    assert (
        main(["--db", database, "users", "add", "x@example.org", "--role", "admin", "--as", "viewer@example.org"]) == 1
    )
    assert "Only admins can manage users; you are signed in as a viewer" in capsys.readouterr().err
    # The local user does not exist when sign-in is on.
    assert main(["--db", database, "--as", "local", "users", "list"]) == 1
    assert "not yet a user" in capsys.readouterr().err


def test_exports_from_the_command_line_obey_the_role_and_are_audited(demo_db_copy, tmp_path, capsys, signin_secrets):
    con = db.connect(demo_db_copy)
    add_user(con, LOCAL_USER, "analyst@example.org", "analyst")
    add_user(con, LOCAL_USER, "viewer@example.org", "viewer")
    add_user(con, LOCAL_USER, "admin@example.org", "admin")
    con.close()
    target = tmp_path / "out.csv"
    assert main(["--db", str(demo_db_copy), "--as", "viewer@example.org", "export", str(target)]) == 1
    assert not target.exists()
    assert main(["--db", str(demo_db_copy), "--as", "analyst@example.org", "export", str(target)]) == 0
    assert target.exists()
    audit_file = tmp_path / "audit.csv"
    assert main(["--db", str(demo_db_copy), "--as", "analyst@example.org", "audit", "export", str(audit_file)]) == 1
    assert main(["--db", str(demo_db_copy), "--as", "admin@example.org", "audit", "export", str(audit_file)]) == 0
    text = audit_file.read_text(encoding="utf-8-sig")
    assert "analyst@example.org,export," in text
    assert text.splitlines()[1].split(",")[1].count(":") == 2  # the time is kept, not only the day


def test_a_partner_imports_and_rolls_back_from_the_command_line_only_for_their_own_organisation(
    demo_db_copy, tmp_path, capsys, signin_secrets
):
    from tests.activity_files import csv_bytes, row

    con = db.connect(demo_db_copy)
    add_partner(con, LOCAL_USER, PARTNER)
    add_user(con, LOCAL_USER, "pat@example.org", "partner", PARTNER)
    con.close()
    database = str(demo_db_copy)
    file = tmp_path / "ours.csv"
    file.write_bytes(csv_bytes([row(activity_id="CLI-1")]))
    assert (
        main(
            [
                "--db",
                database,
                "--as",
                "pat@example.org",
                "import",
                "activities",
                str(file),
                "--partner",
                "Amber Valley Leisure Trust",
                "--json",
            ]
        )
        == 1
    )
    refusal = json.loads(capsys.readouterr().out)  # --json: the refusal is the one JSON object
    assert refusal["status"] == "rejected" and "only for your own organisation" in refusal["message"]
    assert (
        main(
            [
                "--db",
                database,
                "--as",
                "pat@example.org",
                "import",
                "activities",
                str(file),
                "--partner",
                PARTNER,
                "--json",
            ]
        )
        == 0
    )
    upload_id = json.loads(capsys.readouterr().out)["upload_id"]
    assert main(["--db", database, "--as", "pat@example.org", "uploads", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert {u["partner"] for u in listed} == {PARTNER}  # the demo's own uploads are not theirs to see
    assert main(["--db", database, "rollback", str(upload_id), "--as", "pat@example.org"]) == 0
