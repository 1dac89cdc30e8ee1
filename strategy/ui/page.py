"""Page set-up: configuration, sign-in check, the page list, the filter sidebar and the demo banner."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from strategy import access, analysis, db
from strategy.access import LOCAL_USER, PermissionDenied, User
from strategy.board import slides
from strategy.build.reference import ReferenceDataError, reference_is_fictional
from strategy.filters import Filters
from strategy.framework import Framework, FrameworkError, load_framework
from strategy.ui.data import answer, open_connection, show_maintenance
from strategy.ui.navigation import footer_links, page_list
from strategy.ui.sidebar import ALL_FILTERS, export_activities, filter_sidebar
from strategy.ui.signin import sign_in_active, signed_in_user
from strategy.ui.text import plain


@dataclass(frozen=True)
class Page:
    """What every page gets from page_setup."""

    con: duckdb.DuckDBPyConnection
    framework: Framework
    filters: Filters
    coverage: dict
    user: User = LOCAL_USER

    @property
    def is_demo(self) -> bool:
        return self.coverage.get("dataset") == "demo"

    def source(self, what: str = "partner activity returns") -> str:
        """The source line every chart carries: what, demo or not, and the 'as of' date (as the board pack)."""
        return slides.source_line(self.coverage, what=what)


# Captions and help text are drawn lighter than body text; Streamlit's own shade falls short of WCAG AA on white.
# They take the theme's text colour at 80% instead: about 8:1 on the light background and 11:1 on the dark one,
# so one rule serves both themes, whichever the viewer's preference or the settings menu chose. A chosen option of a
# segmented control keeps its blue outline and tint but body-coloured text: no blue passes AA both as text on the
# dark background and as the background of a primary button's white text.
READABLE_TEXT_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stSidebar"] [data-testid="stMarkdownContainer"] p, kbd {
  color: inherit !important; opacity: 0.8 !important; }
[data-testid="stCaptionContainer"] p { color: inherit !important; opacity: 1 !important; }
[data-testid="stButtonGroup"] [data-selected="true"], [data-testid="stButtonGroup"] [data-selected="true"] * {
  color: inherit !important; }
</style>"""


def page_setup(
    title: str,
    icon: str = ":material/bar_chart:",
    sidebar_filters: bool | tuple[str, ...] = True,
    action: str = "read",
    writes: str | None = None,
    public: bool = False,
) -> Page | None:
    """Configure the page, open the data, find who is signed in (or ask them to sign in), refuse the page if their
    role lacks its action, draw the navigation, filter sidebar and demo banner; what the page needs. `writes` names
    the action the page's forms need: people without it are told, before they fill one in, that they can only read.
    `sidebar_filters` is True (every filter), False (none) or the names of the filters the page uses (ALL_FILTERS):
    the others are not drawn there, and keep their values for the pages that use them. A `public` page (the
    accessibility statement, the privacy notice) is shown before sign-in too: then None is returned."""
    try:
        framework = load_framework()
        reference_fictional = reference_is_fictional()
    except (FrameworkError, ReferenceDataError) as problem:  # a setting with a typo: say what to fix, show nothing
        st.set_page_config(page_title=title.replace("{strategy}", "Dashboard"), page_icon=icon, layout="wide")
        st.error(plain(str(problem)), icon=":material/error:")
        st.stop()
    title = title.replace("{strategy}", framework.name)  # "{strategy}: overview" -> "Making our Move: overview"
    st.set_page_config(page_title=f"{title} · {framework.short_name}", page_icon=icon, layout="wide")
    signing_in = sign_in_active()  # a plain refusal, never the dashboard, when the mode is in doubt
    if signing_in:
        harden_for_sign_in()
        if public and not st.user.is_logged_in:
            st.html(READABLE_TEXT_CSS)
            with st.sidebar:
                st.markdown(f"**{plain(framework.name)}**")
                st.page_link("app.py", label="Sign in", icon=":material/login:")
                footer_links()
            st.title(title)
            return None
    try:
        con = open_connection()
    except db.DatabaseUnavailable as problem:
        show_maintenance(problem)
    st.session_state["_maintenance_checks"] = 0
    st.html(READABLE_TEXT_CSS)
    user = signed_in_user(con) if signing_in else LOCAL_USER
    coverage = answer(analysis.data_coverage, Filters())
    page_list(user, framework)
    require_page_permission(user, action, title, con)
    shown_filters = ALL_FILTERS if sidebar_filters is True else tuple(sidebar_filters or ())
    filters = filter_sidebar(framework, shown_filters) if shown_filters else Filters()
    page = Page(con=con, framework=framework, filters=filters, coverage=coverage, user=user)
    if sidebar_filters and user.can("export"):
        with st.sidebar:
            export_activities(page)
    with st.sidebar:
        footer_links()
    if page.is_demo:
        st.warning(
            "**Demo data.** Every partner and activity here is fictional, generated to show how the "
            "dashboard works. Population, deprivation and Active Lives figures are "
            + ("fictional too." if reference_fictional else "real."),
            icon=":material/science:",
        )
    st.title(title)
    if writes and not user.can(writes, user.partner):
        st.info(
            f"You can read this page. Only {access.who_may(writes)} can {access.ACTION_WORDS[writes]}; ask your "
            "administrator if you need to.",
            icon=":material/visibility:",
        )
    return page


DOCS = Path(__file__).resolve().parents[2] / "docs"


def show_document(name: str) -> None:
    """A document of the dashboard's own (docs/NAME.md, written by the project, not by users) as the page's body."""
    st.markdown((DOCS / f"{name}.md").read_text(encoding="utf-8"))


def harden_for_sign_in() -> None:
    """Server-wide settings for a shared server (sign-in mode is server-wide too): no error details or tracebacks
    on screen, and no built-in CSV download or copy of tables, which would bypass the role check, the audit log and
    formula-safe export. Local mode keeps both for the one person at the keyboard."""
    st.set_option("client.showErrorDetails", "none")
    st.set_option("client.disableDataExport", True)


def require_page_permission(user: User, action: str, title: str, con: duckdb.DuckDBPyConnection | None = None) -> None:
    """Stop the page with the reason when the user's role lacks its action (a page opened by its address); the
    refusal goes to the audit log when the connection is given."""
    try:
        access.require(user, action, user.partner)
    except PermissionDenied as refusal:
        if con is not None:
            from strategy.audit import record_refusal

            record_refusal(con, user, action, f"page {title}")
        st.title(title)
        st.error(plain(refusal), icon=":material/lock:")
        st.page_link("app.py", label="Back to the overview", icon=":material/dashboard:")
        st.stop()


def no_activities_yet(page: Page, instead: str = "") -> bool:
    """On a database with no activities, say so plainly and how to add some (a link to the Upload page for those
    who may upload); True when there are none. `instead` says what the page can still show."""
    if page.coverage.get("activities"):
        return False
    st.info(
        "**No activities yet.** Nothing has been uploaded to this dashboard, so there is nothing to count here. "
        "Partners add their activities on the Upload activities page, from the Excel or CSV template"
        + (f". {instead}" if instead else "."),
        icon=":material/inbox:",
    )
    if page.user.can("import_activities", page.user.partner):
        try:
            st.page_link("pages/5_Upload.py", label="Upload activities", icon=":material/upload_file:")
        except StreamlitPageNotFoundError:
            pass
    else:
        st.caption("Ask a partner, or your administrator, to upload the first file.")
    return True
