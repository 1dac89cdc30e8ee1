"""An identity needs a verified email and the same provider account as at first sign-in; refusals are logged; files
are private; the example secrets refuse to start."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from strategy import access, db
from strategy.__main__ import main
from strategy.access import LOCAL_USER, ModeProblem, PermissionDenied
from strategy.safekeeping import backup
from strategy.users import add_user, deactivate_user, email_verified, identified_user
from tests.conftest import PROJECT_ROOT, SIGN_IN_SECRETS

ISSUER = "https://id.example.org"
ENTRA = "https://login.microsoftonline.com/00000000-1111-2222-3333-444444444444/v2.0"


def no_mode(monkeypatch) -> None:
    monkeypatch.delenv("STRATEGY_MODE", raising=False)
    monkeypatch.delenv("STRATEGY_AUTH", raising=False)


# --- 3. Identity is more than an email claim ------------------------------------------------------------------------


@pytest.fixture
def people(empty_db_file, tmp_path):
    path = tmp_path / "people.duckdb"
    shutil.copy(empty_db_file, path)
    con = db.connect(path)
    add_user(con, LOCAL_USER, "boss@example.org", "admin")
    add_user(con, LOCAL_USER, "ann@example.org", "viewer")
    yield con
    con.close()


def claims(email="boss@example.org", **changes) -> dict:
    return {"email": email, "email_verified": True, "iss": ISSUER, "sub": "account-1", **changes}


def refusals(con) -> list[tuple[str, str]]:
    return con.execute(
        "SELECT actor, detail FROM audit_log WHERE action = 'sign in refused' ORDER BY audit_id"
    ).fetchall()


@pytest.mark.parametrize("verified", [False, "false", None, "", 0, "yes"])
def test_an_unverified_email_claiming_an_admins_address_is_refused_and_logged(people, verified):
    with pytest.raises(PermissionDenied, match="has not verified that boss@example.org is yours"):
        identified_user(people, claims(email_verified=verified))
    assert refusals(people) == [("boss@example.org", f"boss@example.org: email not verified by {ISSUER}")]
    identity = people.execute("SELECT issuer, subject FROM users WHERE email = 'boss@example.org'").fetchall()
    assert identity == [(None, None)]  # a refused sign-in records no account


@pytest.mark.parametrize("verified", [True, "true", "True"])
def test_a_verified_email_signs_in(people, verified):
    assert identified_user(people, claims(email_verified=verified)).role == "admin"


def test_an_issuer_trusted_to_verify_emails_may_omit_the_claim_but_not_deny_it():
    entra = {"email": "boss@example.org", "iss": ENTRA, "sub": "x"}
    assert not email_verified(entra)
    assert email_verified(entra, {ENTRA})
    assert email_verified(entra, {ENTRA + "/"})  # written with a trailing slash in the settings
    assert not email_verified({**entra, "email_verified": False}, {ENTRA})  # an explicit no is never overruled
    assert not email_verified({**entra, "iss": ENTRA.replace("0000", "9999")}, {ENTRA})  # another tenant
    assert access.trusted_issuers({"auth": {"trusted_issuers": [ENTRA + "/"]}}) == {ENTRA}


def test_the_first_sign_in_records_the_account_and_later_ones_must_match_it(people):
    assert identified_user(people, claims()).email == "boss@example.org"
    assert people.execute("SELECT issuer, subject FROM users WHERE email = 'boss@example.org'").fetchall() == [
        (ISSUER, "account-1")
    ]
    assert identified_user(people, claims(email="Boss@Example.org")).role == "admin"  # same account, any case
    for other in (claims(sub="account-2"), claims(iss="https://other.example.net")):
        with pytest.raises(PermissionDenied, match="first signed in here with a different account"):
            identified_user(people, other)
    assert [detail.split(":")[1].strip().split(" (")[0] for _actor, detail in refusals(people)] == [
        "a different provider account"
    ] * 2


def test_adding_a_user_again_forgets_the_old_account(people):
    identified_user(people, claims())
    identified_user(people, claims(email="ann@example.org", sub="ann-old"))
    deactivate_user(people, LOCAL_USER, "ann@example.org")
    add_user(people, LOCAL_USER, "ann@example.org", "viewer")
    assert identified_user(people, claims(email="ann@example.org", sub="ann-new")).email == "ann@example.org"


@pytest.mark.parametrize(
    "changes, says",
    [
        ({"email": ""}, "did not include an email address"),
        ({"iss": ""}, "did not say which provider"),
        ({"sub": None}, "did not say which provider"),
        ({"email": "nobody@example.org"}, "not yet a user"),
    ],
)
def test_sign_ins_without_a_whole_identity_or_user_are_refused_and_logged(people, changes, says):
    with pytest.raises(PermissionDenied, match=says):
        identified_user(people, claims(**changes))
    assert len(refusals(people)) == 1
    with pytest.raises(PermissionDenied):
        identified_user(people, claims(**changes), record_refusal=False)
    assert len(refusals(people)) == 1


# --- 7. Refusals logged, files private, plain health, no framing ----------------------------------------------------


def test_a_page_refused_by_role_is_in_the_audit_log(people):
    from strategy.audit import record_refusal

    viewer = access.User("ann@example.org", "viewer")
    with pytest.raises(PermissionDenied):
        access.require(viewer, "manage_users")
    record_refusal(people, viewer, "manage_users", "page Admin")
    assert people.execute("SELECT actor, action, detail FROM audit_log WHERE action = 'refused'").fetchall() == [
        ("ann@example.org", "refused", "manage_users: page Admin")
    ]


def test_a_refused_command_is_in_the_audit_log(demo_db_copy, capsys, signin_secrets):
    con = db.connect(demo_db_copy)
    add_user(con, LOCAL_USER, "viewer@example.org", "viewer")
    con.close()
    assert main(["--db", str(demo_db_copy), "--as", "viewer@example.org", "export", str(demo_db_copy) + ".csv"]) == 1
    con = db.connect(demo_db_copy)
    logged = con.execute("SELECT actor, detail FROM audit_log WHERE action = 'refused'").fetchall()
    con.close()
    assert logged == [("viewer@example.org", "export: command export")]


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_database_backups_and_originals_are_readable_by_this_account_only(demo_db_copy, tmp_path):
    old = os.umask(0o022)  # a machine's usual setting: new files readable by everyone
    try:
        new = tmp_path / "new" / "fresh.duckdb"
        db.connect(new, create=True).close()  # as init does
        assert mode_of(new) == 0o600 and mode_of(new.parent) == 0o700
        con = db.connect(demo_db_copy)
        import hashlib

        from strategy.safekeeping import originals

        data = b"a partner's file, as received\n" * 1000
        kept = originals.PendingOriginal(con, data, hashlib.sha256(data).hexdigest())
        kept.keep()
        manifest_folder = tmp_path / "backups" / "one"
        backup.write_backup(con, manifest_folder, reason="test")
        con.close()
    finally:
        os.umask(old)
    assert mode_of(kept.target) == 0o600 and mode_of(kept.target.parent) == 0o700
    assert mode_of(manifest_folder) == 0o700
    assert {mode_of(p) for p in manifest_folder.rglob("*") if p.is_file()} == {0o600}


def test_the_command_line_creates_private_files(tmp_path):
    database = tmp_path / "data" / "cli.duckdb"
    run = subprocess.run(
        ["sh", "-c", f'umask 022 && "{sys.executable}" -m strategy --db "{database}" init'],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "STRATEGY_MODE": "local"},
    )
    assert run.returncode == 0, run.stderr
    assert mode_of(database) == 0o600 and mode_of(database.parent) == 0o700


def test_the_example_secrets_copied_unchanged_refuse_to_start(monkeypatch, tmp_path):
    copied = tmp_path / "secrets.toml"
    shutil.copy(PROJECT_ROOT / ".streamlit" / "secrets.toml.example", copied)
    no_mode(monkeypatch)
    with pytest.raises(ModeProblem) as refusal:
        access.dashboard_mode(files=[copied])
    assert "cookie_secret is missing" in str(refusal.value) and "[auth.microsoft] lacks client_secret" in str(
        refusal.value
    )


def test_secrets_named_in_the_environment_are_found_by_the_command_line_too(monkeypatch, tmp_path):
    file = tmp_path / "server-secrets.toml"
    file.write_text(SIGN_IN_SECRETS)
    monkeypatch.setenv("STREAMLIT_SECRETS_FILES", str(file))
    no_mode(monkeypatch)
    assert file in access.secrets_files()
    assert access.dashboard_mode() == "signin"


def test_a_secrets_file_others_can_read_is_named_so_the_server_warns(tmp_path):
    file = tmp_path / "secrets.toml"
    file.write_text(SIGN_IN_SECRETS)
    file.chmod(0o644)
    assert access.secrets_readable_by_others([file, tmp_path / "absent.toml"]) == [file]
    file.chmod(0o600)
    assert access.secrets_readable_by_others([file]) == []
    assert "secrets_readable_by_others()" in (PROJECT_ROOT / "serve.py").read_text()
