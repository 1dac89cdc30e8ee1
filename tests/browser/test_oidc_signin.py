"""Sign-in through a real OpenID Connect provider (oidc-provider-mock on 127.0.0.1, started here) into a real
streamlit server: each role sees exactly its pages, strangers get the polite page, and two people signed in at
once in two browsers each see only what they should."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

import oidc_provider_mock
import pytest
import werkzeug.serving

from strategy import db
from strategy.access import LOCAL_USER
from strategy.users import add_partner, add_user
from tests.browser.conftest import free_port, wait_for_app
from tests.conftest import PROJECT_ROOT, SERVER_FLAGS

pytestmark = pytest.mark.browser

OWN = "Mansfield Community Trust"
PEOPLE = {
    "viewer": "board.member@example.org",
    "partner": "pat@mansfield.example.org",
    "analyst": "analyst@example.org",
    "admin": "admin@example.org",
}
STRANGER = "someone@elsewhere.example.org"


def vouch(provider: str, subject: str, **claims) -> None:
    """Tell the provider what it says about the account `subject` when it signs in."""
    request = urllib.request.Request(
        f"{provider}/users/{subject}",
        data=json.dumps(claims).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=10).close()


@pytest.fixture(scope="module")
def provider():
    """A local OpenID Connect provider: its sign-in form accepts any subject, whose email claim it becomes."""
    server = werkzeug.serving.make_server("127.0.0.1", 0, oidc_provider_mock.app(), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    url = f"http://127.0.0.1:{server.server_port}"
    for email in [*PEOPLE.values(), STRANGER]:  # each account's provider has verified its address
        vouch(url, email, email=email, email_verified=True)
    yield url
    server.shutdown()


@pytest.fixture(scope="module")
def signin_db(demo_db_file, tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("oidc") / "signin.duckdb"
    shutil.copy(demo_db_file, path)
    con = db.connect(path)
    add_partner(con, LOCAL_USER, OWN)
    for role, email in PEOPLE.items():
        add_user(con, LOCAL_USER, email, role, OWN if role == "partner" else None)
    con.close()
    return path


@pytest.fixture(scope="module")
def signin_url(provider, signin_db, tmp_path_factory, test_output):
    """A streamlit server in sign-in mode: a temporary secrets file whose [auth] section points at the provider."""
    port = free_port()
    folder = tmp_path_factory.mktemp("secrets")
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(f"""[auth]
redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "making-our-move-dashboard"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "{provider}/.well-known/openid-configuration"
""")
    env = {**os.environ, "STRATEGY_DB": str(signin_db)}
    env.pop("STRATEGY_AUTH", None)
    env.pop("STRATEGY_MODE", None)  # a secrets file alone means sign-in
    log = (test_output / "streamlit-oidc-server.log").open("wb")
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "app.py",
            "--server.port",
            str(port),
            *SERVER_FLAGS,
            "--secrets.files",
            str(secrets_file),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.time() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/_stcore/health", timeout=2):
                    break
            except OSError:
                if time.time() > deadline or process.poll() is not None:
                    raise RuntimeError("streamlit did not start; see test-output/streamlit-oidc-server.log")
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture
def new_person(browser):
    """new_person() -> a page in a browser context of its own (its own cookies: a separate person)."""
    contexts = []

    def open_():
        context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(30_000)
        return page

    yield open_
    for context in contexts:
        context.close()


def sign_in(page, url: str, provider: str, email: str) -> None:
    """Open the dashboard, press Sign in, give the provider the email, and come back signed in."""
    page.goto(url + "/")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(provider + "/**")
    page.fill("input[name=sub]", email)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(url + "/**")
    wait_for_app(page)


def sidebar_pages(page) -> set[str]:
    links = page.locator("[data-testid=stSidebar] [data-testid=stPageLink] a")
    return {text.strip().splitlines()[-1].strip() for text in links.all_inner_texts()}


def test_a_viewer_and_an_admin_signed_in_at_once_each_see_only_their_own_pages(
    signin_url, provider, new_person, test_output
):
    viewer, admin = new_person(), new_person()
    sign_in(viewer, signin_url, provider, PEOPLE["viewer"])
    sign_in(admin, signin_url, provider, PEOPLE["admin"])
    viewer.wait_for_selector("text=Signed in as")
    wait_for_app(viewer)
    viewer.locator("[data-testid=stSidebar] [data-testid=stPageLink] a", has_text="Overview").wait_for()
    assert "Admin" not in sidebar_pages(viewer)
    assert {"Overview", "Alignment", "Indicator trends"} <= sidebar_pages(viewer)
    admin.locator("[data-testid=stSidebar] [data-testid=stPageLink] a", has_text="Admin").wait_for()

    # Both sessions stay what they are after the other acts.
    admin.goto(signin_url + "/Admin")
    wait_for_app(admin)
    admin.get_by_role("tab", name="Audit log").click()
    assert admin.get_by_text("Only admins").count() == 0
    viewer.goto(signin_url + "/Admin")
    wait_for_app(viewer)
    viewer.wait_for_selector("text=Only admins can manage users")
    assert viewer.locator("[data-testid=stDataFrame]").count() == 0
    viewer.screenshot(path=str(test_output / "oidc-viewer-refused-admin.png"))
    admin.screenshot(path=str(test_output / "oidc-admin-page.png"))
    # The admin exports the audit log: both sign-ins are there, each once although the admin reloaded a page.
    admin.get_by_role("button", name="Prepare the export").click()
    with admin.expect_download() as download:
        admin.get_by_role("button", name="Download the audit log (CSV)").click()
    log = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
    signed_in = [line.split(",")[2] for line in log[1:] if line.split(",")[3] == "sign in"]
    assert sorted(signed_in) == sorted([PEOPLE["admin"], PEOPLE["viewer"]])
    assert "Signed in as" in admin.inner_text("[data-testid=stSidebar]")
    assert PEOPLE["admin"] in admin.inner_text("[data-testid=stSidebar]")
    assert PEOPLE["viewer"] in viewer.inner_text("[data-testid=stSidebar]")


def test_someone_the_dashboard_does_not_know_is_asked_to_see_their_administrator(
    signin_url, provider, new_person, test_output
):
    stranger = new_person()
    sign_in(stranger, signin_url, provider, STRANGER)
    stranger.wait_for_selector("text=not yet a user here")
    stranger.get_by_role("button", name="Sign out").wait_for()  # drawn after the message
    assert "Ask your administrator to add you" in stranger.inner_text("[data-testid=stMain]")
    assert stranger.locator("[data-testid=stMetric]").count() == 0
    stranger.screenshot(path=str(test_output / "oidc-stranger.png"))


def test_an_unverified_email_or_another_account_claiming_the_admins_address_is_refused(
    signin_url, provider, new_person, test_output
):
    admin = new_person()
    sign_in(admin, signin_url, provider, PEOPLE["admin"])  # the admin's own account (recorded if first)
    admin.locator("[data-testid=stSidebar] [data-testid=stPageLink] a", has_text="Admin").wait_for()
    vouch(provider, "impostor", email=PEOPLE["admin"], email_verified=False)
    impostor = new_person()
    sign_in(impostor, signin_url, provider, "impostor")
    impostor.wait_for_selector("text=this sign-in is refused")
    assert "has not verified that admin@example.org is yours" in impostor.inner_text("[data-testid=stMain]")
    assert impostor.locator("[data-testid=stSidebar] [data-testid=stPageLink]").count() == 0
    impostor.goto(signin_url + "/Admin")
    wait_for_app(impostor)
    impostor.wait_for_selector("text=this sign-in is refused")
    assert impostor.locator("[data-testid=stDataFrame]").count() == 0
    impostor.screenshot(path=str(test_output / "oidc-unverified-refused.png"))

    vouch(provider, "second-account", email=PEOPLE["admin"], email_verified=True)
    other = new_person()
    sign_in(other, signin_url, provider, "second-account")
    other.wait_for_selector("text=this sign-in is refused")
    assert "first signed in here with a different account" in other.inner_text("[data-testid=stMain]")
    assert other.locator("[data-testid=stSidebar] [data-testid=stPageLink]").count() == 0


def test_nothing_is_shown_before_sign_in(signin_url, new_person, test_output):
    visitor = new_person()
    visitor.goto(signin_url + "/Alignment")
    wait_for_app(visitor)
    visitor.get_by_role("button", name="Sign in").wait_for()
    visitor.screenshot(path=str(test_output / "oidc-sign-in-screen.png"))
    assert visitor.locator("[data-testid=stPlotlyChart]").count() == 0
    assert visitor.locator("[data-testid=stSidebar] [data-testid=stPageLink]").count() == 0


def test_a_partner_signs_in_and_gets_no_admin_export_or_indicator_import(signin_url, provider, new_person, test_output):
    partner = new_person()
    sign_in(partner, signin_url, provider, PEOPLE["partner"])
    partner.wait_for_selector(f"text={OWN}")  # the sidebar names their organisation
    wait_for_app(partner)
    assert "Admin" not in sidebar_pages(partner)
    assert partner.get_by_text("Export these activities").count() == 0
    partner.goto(signin_url + "/Trends")
    wait_for_app(partner)
    partner.get_by_text("All places").first.wait_for()
    assert partner.locator("[data-testid=stFileUploader]").count() == 0
    partner.goto(signin_url + "/Admin")
    wait_for_app(partner)
    partner.wait_for_selector("text=Only admins can manage users; you are signed in as a partner")
    partner.screenshot(path=str(test_output / "oidc-partner-refused-admin.png"))
