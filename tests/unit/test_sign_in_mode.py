"""Sign-in cannot fall open: the mode is explicit and any doubt refuses (core, command line, pages); local mode
stays on this computer. The real server's refusals are in tests/system/test_server_refuses_unsafe_modes.py."""

from __future__ import annotations

import shutil

import pytest
import streamlit.config
from streamlit.testing.v1 import AppTest

from strategy import access
from strategy.__main__ import main
from strategy.access import ModeProblem
from tests.apptest import open_app
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
