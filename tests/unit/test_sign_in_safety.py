"""Sign-in cannot fall open: the mode is explicit and any doubt refuses (core, command line, pages, the real
server); local mode stays on this computer; an identity needs a verified email and the same provider account as
at first sign-in; refusals are logged; files are private; /healthz and the maintenance page tell visitors nothing
more than "ok" or "unavailable"; nothing the server answers can be framed."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import streamlit.config
from streamlit.testing.v1 import AppTest

from strategy import access, db
from strategy.__main__ import main
from strategy.access import LOCAL_USER, ModeProblem, PermissionDenied
from strategy.safekeeping import backup
from strategy.users import add_user, deactivate_user, email_verified, identified_user
from tests.apptest import open_app
from tests.browser.conftest import free_port
from tests.conftest import PROJECT_ROOT, SIGN_IN_SECRETS

ISSUER = "https://id.example.org"
ENTRA = "https://login.microsoftonline.com/00000000-1111-2222-3333-444444444444/v2.0"


def no_mode(monkeypatch) -> None:
    monkeypatch.delenv("STRATEGY_MODE", raising=False)
    monkeypatch.delenv("STRATEGY_AUTH", raising=False)


# --- 1. The mode is explicit; any doubt refuses ------------------------------------------------------------------


def test_a_typo_in_the_secrets_file_refuses_instead_of_starting_without_sign_in(monkeypatch, tmp_path):
    no_mode(monkeypatch)
    broken = tmp_path / "secrets.toml"
    broken.write_text(SIGN_IN_SECRETS.replace('client_id = "', "client_id = "))  # an unclosed quote
    with pytest.raises(ModeProblem, match="is not valid TOML") as refusal:
        access.dashboard_mode(files=[broken])
    assert str(broken) in str(refusal.value)


@pytest.mark.parametrize(
    "secrets, names",
    [
        ("[other]\nkey = 1\n", "no [auth] section"),
        (SIGN_IN_SECRETS.split("client_id")[0], "names no provider"),
        (SIGN_IN_SECRETS.replace('client_secret = "a-client-secret-from-the-provider"\n', ""), "lacks client_secret"),
        (SIGN_IN_SECRETS.replace("cookie_secret", "cookie_secret_old"), "cookie_secret is missing"),
        (SIGN_IN_SECRETS.replace("0123456789abcdef0123456789abcdef0123456789abcdef", "short"), "shorter than 32"),
        (
            SIGN_IN_SECRETS.replace('"a-client-secret-from-the-provider"', '"replace-with-the-client-secret"'),
            "lacks client_secret",
        ),
        (SIGN_IN_SECRETS + 'trusted_issuers = "https://login.microsoftonline.com"\n', "must be a list"),
    ],
)
def test_an_incomplete_secrets_file_refuses_and_says_what_is_missing(monkeypatch, tmp_path, secrets, names):
    no_mode(monkeypatch)
    file = tmp_path / "secrets.toml"
    file.write_text(secrets)
    with pytest.raises(ModeProblem, match="cannot work safely") as refusal:
        access.dashboard_mode(files=[file])
    assert names in str(refusal.value)


def test_a_complete_secrets_file_means_sign_in_and_no_secrets_file_means_local(monkeypatch, tmp_path):
    no_mode(monkeypatch)
    file = tmp_path / "secrets.toml"
    assert access.dashboard_mode(files=[file]) == "local"  # a fresh machine: make run works
    file.write_text(SIGN_IN_SECRETS)
    assert access.dashboard_mode(files=[file]) == "signin"


@pytest.mark.parametrize(
    "environment, names",
    [
        ({"STRATEGY_MODE": "locla"}, "STRATEGY_MODE='locla' is not a mode"),
        ({"STRATEGY_MODE": "off"}, "is not a mode"),
        ({"STRATEGY_AUTH": "none"}, "STRATEGY_AUTH='none' is not a mode"),
        ({"STRATEGY_MODE": "local", "STRATEGY_AUTH": "oidc"}, "disagree"),
    ],
)
def test_an_unknown_or_contradictory_mode_refuses(tmp_path, environment, names):
    with pytest.raises(ModeProblem, match=names):
        access.dashboard_mode(environment, files=[tmp_path / "none.toml"])


def test_sign_in_chosen_without_any_secrets_refuses(tmp_path):
    with pytest.raises(ModeProblem, match="no \\[auth\\] section"):
        access.dashboard_mode({"STRATEGY_MODE": "signin"}, files=[tmp_path / "none.toml"])


def test_an_unreadable_secrets_file_refuses(monkeypatch, tmp_path):
    folder = tmp_path / "secrets.toml"
    folder.mkdir()  # exists, but is no file Streamlit can read
    with pytest.raises(ModeProblem, match="is a folder"):
        access.dashboard_mode({}, files=[folder])


def test_the_command_line_refuses_too_rather_than_acting_as_the_local_admin(
    monkeypatch, tmp_path, empty_db_file, capsys
):
    no_mode(monkeypatch)
    database = tmp_path / "cli.duckdb"
    shutil.copy(empty_db_file, database)
    broken = tmp_path / "secrets.toml"
    broken.write_text("[auth\nredirect_uri = 'x'\n")
    monkeypatch.setattr(access, "secrets_files", lambda: [broken])
    assert main(["--db", str(database), "users", "list"]) == 2
    assert "is not valid TOML" in capsys.readouterr().err


def test_the_command_line_looks_for_secrets_where_the_server_does(monkeypatch, tmp_path):
    """Streamlit's secrets.files (here set as the server's --secrets.files flag would) is what both consult."""
    file = tmp_path / "elsewhere" / "secrets.toml"
    file.parent.mkdir()
    file.write_text(SIGN_IN_SECRETS)
    before = streamlit.config.get_option("secrets.files")
    streamlit.config.set_option("secrets.files", [str(file)])
    try:
        assert file in access.secrets_files()
        no_mode(monkeypatch)
        assert access.dashboard_mode() == "signin"
    finally:
        streamlit.config.set_option("secrets.files", before)


# --- ... and pages show a plain refusal, never the dashboard --------------------------------------------------------


@pytest.fixture
def page_app(monkeypatch, demo_db_copy):
    """page_app(**environment) -> app.py run once by AppTest on a copy of the demo."""
    restore = {name: streamlit.config.get_option(name) for name in ("secrets.files", "server.address")}

    def open_(database=None, secrets=None, **environment) -> AppTest:
        monkeypatch.setenv("STRATEGY_DB", str(database or demo_db_copy))
        no_mode(monkeypatch)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        return open_app(secrets=secrets)

    yield open_
    for name, value in restore.items():
        streamlit.config.set_option(name, value)
    from strategy.ui import connection

    connection.clear()
    streamlit.cache_data.clear()


def refused_plainly(app: AppTest) -> bool:
    return (
        not app.metric
        and not app.get("plotly_chart")
        and not app.get("page_link")
        and [t.value for t in app.title] == ["The dashboard is not available"]
        and "server's log" in app.error[0].value
    )


def test_a_page_refuses_plainly_when_the_secrets_file_has_a_typo(page_app, monkeypatch, tmp_path):
    from streamlit.runtime.secrets import Secrets

    broken = tmp_path / "secrets.toml"
    broken.write_text(SIGN_IN_SECRETS.replace("[auth]", "[auth"))
    streamlit.config.set_option("secrets.files", [str(broken)])
    monkeypatch.setattr(streamlit, "secrets", Secrets())  # what the server reads, from that file
    app = page_app()
    assert refused_plainly(app)
    assert str(tmp_path) not in " ".join(e.value for e in app.error)  # the reason is for the log, not visitors


def test_a_page_refuses_plainly_for_an_unknown_mode(page_app):
    assert refused_plainly(page_app(STRATEGY_MODE="sign-in-please"))


def test_a_page_in_local_mode_refuses_when_the_server_listens_beyond_this_computer(page_app):
    assert page_app(STRATEGY_MODE="local").metric  # 127.0.0.1, from .streamlit/config.toml
    streamlit.config.set_option("server.address", "0.0.0.0")
    assert refused_plainly(page_app(STRATEGY_MODE="local"))


def test_with_sign_in_the_maintenance_page_shows_visitors_no_paths_or_database_errors(page_app, tmp_path):
    import tomllib

    broken = tmp_path / "broken-database.duckdb"
    broken.write_bytes(b"\0not a database" * 4096)
    app = page_app(database=broken, secrets=tomllib.loads(SIGN_IN_SECRETS), STRATEGY_MODE="signin")
    assert "The dashboard is being looked after" in [t.value for t in app.title]
    shown = " ".join(
        str(getattr(e, "value", ""))
        for kind in ("markdown", "text", "warning", "error", "caption")
        for e in app.get(kind)
    )
    assert "server's log" in shown
    assert str(tmp_path) not in shown and "could not be opened" not in shown
    local = page_app(database=broken, STRATEGY_MODE="local")  # one person at their own computer: the reason
    assert any("could not be opened" in t.value for t in local.get("text"))


def test_the_project_listens_on_this_computer_unless_told_otherwise():
    import tomllib

    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["address"] == "127.0.0.1"
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    assert "ADDRESS ?= 127.0.0.1" in makefile and "--server.address $(ADDRESS)" in makefile


# --- 2. Local mode is for this computer only ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address, loopback",
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("127.0.1.1", True),
        ("0.0.0.0", False),
        ("", False),
        (None, False),
        ("192.168.1.20", False),
        ("::", False),
        ("dashboard.example.org", False),
    ],
)
def test_which_addresses_reach_only_this_computer(address, loopback):
    assert access.is_loopback(address) is loopback


def start_serve(address: str, database: Path, environment: dict, log: Path) -> subprocess.Popen:
    env = {**os.environ, "STRATEGY_DB": str(database), **environment}
    env.pop("STRATEGY_AUTH", None)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "serve.py",
            "--server.headless",
            "true",
            "--server.port",
            str(free_port()),
            "--server.address",
            address,
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def test_the_real_server_refuses_local_mode_on_every_interface(demo_db_copy, tmp_path):
    log = tmp_path / "serve.log"
    process = start_serve("0.0.0.0", demo_db_copy, {"STRATEGY_MODE": "local"}, log)
    try:
        status = process.wait(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
    output = log.read_text()
    assert status != 0, output
    assert "The dashboard will not start: Local mode" in output and "--server.address 127.0.0.1" in output


def test_the_real_server_refuses_an_unknown_mode(demo_db_copy, tmp_path):
    log = tmp_path / "serve.log"
    process = start_serve("127.0.0.1", demo_db_copy, {"STRATEGY_MODE": "loacl"}, log)
    try:
        status = process.wait(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
    assert status != 0 and "STRATEGY_MODE='loacl' is not a mode" in log.read_text()


def test_the_real_server_refuses_to_start_when_its_secrets_file_has_a_typo(demo_db_copy, tmp_path):
    broken = tmp_path / "secrets.toml"
    broken.write_text(SIGN_IN_SECRETS.replace("[auth]", "[auth"))
    log = tmp_path / "serve.log"
    environment = {key: value for key, value in os.environ.items() if key != "STRATEGY_MODE"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "serve.py",
            "--server.headless",
            "true",
            "--server.port",
            str(free_port()),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--secrets.files",
            str(broken),
        ],
        cwd=PROJECT_ROOT,
        env={**environment, "STRATEGY_DB": str(demo_db_copy)},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        status = process.wait(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
    output = log.read_text()
    assert status != 0 and "The dashboard will not start" in output and "is not valid TOML" in output, output


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
