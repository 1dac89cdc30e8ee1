"""Sign-in mode through Streamlit's AppTest (at.user fakes the identity the provider vouched for): who sees which
pages, refusals when a page is opened by its address, the polite page for strangers, and the audit of sign-ins."""

from __future__ import annotations

import shutil

import pytest
import streamlit.config
from streamlit.testing.v1 import AppTest

from strategy import db
from strategy.access import LOCAL_USER
from strategy.ui.text import plain
from strategy.users import add_partner, add_user, deactivate_user
from tests.apptest import forget_answers, open_app

PARTNER = "Mansfield Community Trust"
PEOPLE = {
    "viewer": "viewer@example.org",
    "partner": "partner@example.org",
    "analyst": "analyst@example.org",
    "admin": "admin@example.org",
}
ISSUER = "https://id.example.org"
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "c" * 64,
    "client_id": "dashboard",
    "client_secret": "s" * 32,
    "server_metadata_url": ISSUER + "/.well-known/openid-configuration",
}


def claims(email: str, **changes) -> dict:
    """What the provider vouches for: a verified email, the issuer and a subject of its own."""
    return {"email": email, "email_verified": True, "iss": ISSUER, "sub": "account-" + email.lower(), **changes}


@pytest.fixture(scope="module")
def signin_db(demo_db_file, tmp_path_factory):
    path = tmp_path_factory.mktemp("signin") / "signin.duckdb"
    shutil.copy(demo_db_file, path)
    con = db.connect(path)
    add_partner(con, LOCAL_USER, PARTNER)
    for role, email in PEOPLE.items():
        add_user(con, LOCAL_USER, email, role, PARTNER if role == "partner" else None)
    con.close()
    return path


@pytest.fixture
def open_as(monkeypatch, signin_db):
    """open_as(email or None, page='app.py', mode='signin', auth=AUTH, **claims) -> an AppTest that has run once as
    that person (claims changes what the provider says about them)."""

    def open_(
        email: str | None, script: str = "app.py", mode: str = "signin", auth: dict | None = AUTH, **changes
    ) -> AppTest:
        monkeypatch.setenv("STRATEGY_DB", str(signin_db))
        monkeypatch.setenv("STRATEGY_MODE", mode)
        monkeypatch.delenv("STRATEGY_AUTH", raising=False)
        return open_app(
            script,
            secrets=None if auth is None else {"auth": auth},
            user={"is_logged_in": email is not None, **(claims(email, **changes) if email else {})},
        )

    yield open_
    forget_answers()
    streamlit.config.set_option("client.showErrorDetails", "full")
    streamlit.config.set_option("client.disableDataExport", False)


def linked_pages(app: AppTest) -> set[str]:
    """The navigation's pages (by file) that the sidebar links to."""
    from strategy.ui import NAVIGATION

    files = {label: path.rsplit("/", 1)[-1] for path, label, _icon, _action in NAVIGATION}
    return {files[link.proto.label] for link in app.get("page_link") if link.proto.label in files}


def text_of(app: AppTest) -> str:
    return " ".join(
        str(getattr(e, "value", ""))
        for kind in ("markdown", "error", "info", "caption", "title")
        for e in app.get(kind)
    )


def audit_rows(database, action: str, actor: str) -> int:
    """Read through the app's own connection (the file is open for writing in this process)."""
    from strategy.ui import connection

    cursor = connection(str(database)).cursor()
    try:
        return cursor.execute(
            "SELECT count(*) FROM audit_log WHERE action = ? AND actor = ?", [action, actor]
        ).fetchall()[0][0]
    finally:
        cursor.close()


def test_someone_not_signed_in_sees_only_the_sign_in_button(open_as):
    app = open_as(None)
    assert [b.label for b in app.button] == ["Sign in"]
    assert not app.metric  # no dashboard figures before sign-in
    # only the accessibility statement and the privacy notice, which are public
    assert linked_pages(app) == {"14_Accessibility.py", "15_Privacy.py"}


def test_a_stranger_is_asked_politely_to_see_their_administrator_and_the_attempt_is_logged(open_as, signin_db):
    app = open_as("Stranger@Elsewhere.org")
    assert "not yet a user here" in app.title[0].value
    assert "Ask your administrator to add you" in app.info[0].value
    assert not app.metric
    assert audit_rows(signin_db, "sign in refused", "stranger@elsewhere.org") == 1


@pytest.mark.parametrize(
    "role, expected_admin_link", [("viewer", False), ("partner", False), ("analyst", False), ("admin", True)]
)
def test_navigation_shows_each_person_only_the_pages_they_may_use(open_as, role, expected_admin_link):
    app = open_as(PEOPLE[role])
    pages = linked_pages(app)
    assert {"app.py", "1_Alignment.py", "4_Trends.py"} <= pages
    assert ("11_Admin.py" in pages) is expected_admin_link
    assert ("5_Upload.py" in pages) is (role in ("partner", "admin"))
    assert ("12_Reporting_round.py" in pages) is (role in ("partner", "analyst", "admin"))
    assert f"Signed in as {plain(PEOPLE[role])}" in " ".join(c.value for c in app.caption)


@pytest.mark.parametrize("role", ["viewer", "partner", "analyst"])
def test_the_admin_page_opened_by_its_address_refuses_everyone_but_admins(open_as, role):
    app = open_as(PEOPLE[role], "pages/11_Admin.py")
    assert "Only admins can manage users" in app.error[0].value
    assert "you are signed in as" in app.error[0].value
    assert not app.dataframe  # no user list, no audit log


def test_an_admin_sees_users_partners_and_the_audit_log(open_as):
    app = open_as(PEOPLE["admin"], "pages/11_Admin.py")
    assert not app.error
    tables = [frame.value for frame in app.dataframe]
    users = next(t for t in tables if "role" in t.columns)
    assert set(PEOPLE.values()) <= set(users.email)
    audit = next(t for t in tables if "action" in t.columns)
    assert {"add user", "sign in"} <= set(audit.action)


def test_a_sign_in_is_logged_once_per_session_not_once_per_page(open_as, signin_db):
    before = audit_rows(signin_db, "sign in", PEOPLE["analyst"])
    app = open_as(PEOPLE["analyst"])
    app.switch_page("pages/1_Alignment.py").run()
    app.switch_page("pages/3_Places.py").run()
    assert audit_rows(signin_db, "sign in", PEOPLE["analyst"]) == before + 1


def test_only_analysts_and_admins_see_the_indicator_import(open_as):
    for role, can_import in [("viewer", False), ("partner", False), ("analyst", True), ("admin", True)]:
        app = open_as(PEOPLE[role], "pages/4_Trends.py")
        assert bool(app.get("file_uploader")) is can_import, role


def test_a_deactivated_user_loses_access_on_their_next_click(open_as, signin_db):
    from strategy.ui import connection  # the server's own connection: the admin page would use it

    open_as(None)  # opens the app's connection to the module's database
    add_user(connection(str(signin_db)), LOCAL_USER, "leaver@example.org", "viewer")
    app = open_as("leaver@example.org")
    assert app.metric
    deactivate_user(connection(str(signin_db)), LOCAL_USER, "leaver@example.org")
    app.run()
    assert not app.metric
    assert "not yet a user here" in app.title[0].value


def test_local_mode_needs_no_sign_in_and_says_so(open_as):
    app = open_as(None, mode="local")
    assert "Local mode — no sign-in" in " ".join(c.value for c in app.caption)
    assert "11_Admin.py" in linked_pages(app)
    assert app.metric


def test_sign_in_mode_hides_error_details_and_the_tables_own_downloads(open_as):
    open_as(PEOPLE["viewer"])
    assert streamlit.config.get_option("client.showErrorDetails") == "none"
    assert streamlit.config.get_option("client.disableDataExport") is True


@pytest.mark.parametrize(
    "role, can_export", [("viewer", False), ("partner", False), ("analyst", True), ("admin", True)]
)
def test_only_analysts_and_admins_are_offered_the_activity_export(open_as, role, can_export):
    app = open_as(PEOPLE[role], "pages/1_Alignment.py")
    assert any(b.label == "Prepare the export" for b in app.button) is can_export


def test_an_analysts_export_is_the_filtered_activities_and_is_audited(open_as, signin_db):
    before = audit_rows(signin_db, "export", PEOPLE["analyst"])
    app = open_as(PEOPLE["analyst"], "pages/1_Alignment.py")
    next(b for b in app.button if b.label == "Prepare the export").click().run()
    assert audit_rows(signin_db, "export", PEOPLE["analyst"]) == before + 1
    file_format, data, rows = app.session_state["activities_export"]
    assert file_format == "csv" and data.decode("utf-8-sig").count("\n") >= rows > 0


@pytest.mark.parametrize("role, told", [("viewer", True), ("partner", False), ("analyst", False)])
def test_people_who_can_only_read_the_learning_workspace_are_told_before_they_write(open_as, role, told):
    app = open_as(PEOPLE[role], "pages/10_Learning_log.py")
    notes = [i.value for i in app.info if "You can read this page" in i.value]
    assert bool(notes) is told
    if told:
        assert "Only partners, analysts and admins can edit the learning workspace" in notes[0]


def test_a_viewer_who_submits_a_reflection_anyway_is_refused_and_nothing_is_saved(open_as, signin_db):
    app = open_as(PEOPLE["viewer"], "pages/10_Learning_log.py")
    before = audit_rows(signin_db, "reflection added", PEOPLE["viewer"])
    app.text_input[0].input("Board member")
    next(b for b in app.button if "Add to the log" in b.label).click().run()
    refusal = plain("Only partners, analysts and admins can edit the learning workspace")
    assert any(refusal in e.value for e in app.error)
    assert audit_rows(signin_db, "reflection added", PEOPLE["viewer"]) == before


@pytest.mark.parametrize(
    "role, may_upload", [("viewer", False), ("partner", True), ("analyst", False), ("admin", True)]
)
def test_only_partners_and_admins_see_or_open_the_upload_page(open_as, role, may_upload):
    home = open_as(PEOPLE[role])
    assert ("5_Upload.py" in linked_pages(home)) is may_upload
    upload = open_as(PEOPLE[role], "pages/5_Upload.py")
    if may_upload:
        assert not upload.error and upload.get("file_uploader")
    else:
        assert "Only partners and admins can upload activities" in upload.error[0].value
        assert not upload.get("file_uploader")


def test_the_reporting_round_is_for_its_leaders_and_each_partner_sees_only_their_own(open_as):
    viewer = open_as(PEOPLE["viewer"], "pages/12_Reporting_round.py")
    assert plain("Only partners, analysts and admins can see a reporting round's returns") in viewer.error[0].value
    partner = open_as(PEOPLE["partner"], "pages/12_Reporting_round.py")
    assert not partner.exception and not partner.dataframe and not partner.get("form")  # no table, no opening
    analyst = open_as(PEOPLE["analyst"], "pages/12_Reporting_round.py")
    assert not analyst.exception and any(b.label == "Open the round" for b in analyst.button)


def test_a_partners_upload_page_is_for_their_own_organisation(open_as):
    upload = open_as(PEOPLE["partner"], "pages/5_Upload.py")
    assert not upload.selectbox and not upload.text_input  # nothing to choose or type: their own organisation
    assert any(
        f"You report for **{PARTNER}**, your organisation." in m.value.replace("\\", "") for m in upload.markdown
    )


def test_pages_and_writes_refused_by_role_are_in_the_audit_log(open_as, signin_db):
    def refused(actor: str) -> int:
        return audit_rows(signin_db, "refused", actor)

    before = refused(PEOPLE["viewer"])
    open_as(PEOPLE["viewer"], "pages/11_Admin.py")
    assert refused(PEOPLE["viewer"]) == before + 1
    app = open_as(PEOPLE["viewer"], "pages/10_Learning_log.py")
    app.text_input[0].input("Board member")
    next(b for b in app.button if "Add to the log" in b.label).click().run()
    assert refused(PEOPLE["viewer"]) == before + 2


def test_a_sign_in_whose_email_the_provider_has_not_verified_is_refused_and_logged(open_as, signin_db):
    before = audit_rows(signin_db, "sign in refused", PEOPLE["analyst"])
    app = open_as(PEOPLE["analyst"], email_verified=False)
    assert "this sign-in is refused" in app.title[0].value
    assert "has not verified" in app.info[0].value
    assert not app.metric and not linked_pages(app)
    assert audit_rows(signin_db, "sign in refused", PEOPLE["analyst"]) == before + 1


def test_sign_in_without_a_provider_refuses_plainly_instead_of_opening_the_dashboard(open_as):
    app = open_as(PEOPLE["admin"], auth={"redirect_uri": AUTH["redirect_uri"], "cookie_secret": AUTH["cookie_secret"]})
    assert [t.value for t in app.title] == ["The dashboard is not available"]
    assert not app.metric and not linked_pages(app)


def test_the_export_caption_names_a_file_that_carries_the_filters_and_date_and_says_what_it_holds(open_as):
    from datetime import date

    app = open_as(PEOPLE["analyst"], "pages/1_Alignment.py")
    next(b for b in app.button if b.label == "Prepare the export").click().run()
    caption = next(c.value for c in app.caption if c.value.startswith("activities_"))
    rows = app.session_state["activities_export"][2]
    assert caption.startswith(f"activities_all_{date.today().isoformat()}.csv holds {rows:,} rows of ")
    assert "filters: All places" in caption and "A CSV holds the rows only" in caption


@pytest.mark.parametrize(
    "script, title",
    [("pages/14_Accessibility.py", "Accessibility statement"), ("pages/15_Privacy.py", "Privacy notice")],
)
def test_the_accessibility_statement_and_privacy_notice_are_open_before_sign_in(open_as, script, title):
    app = open_as(None, script)
    assert not app.exception
    assert app.title[0].value == title
    assert "Sign in" not in [b.label for b in app.button]  # the document, not the sign-in screen
    assert not app.metric and not app.dataframe
