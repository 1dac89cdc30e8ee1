"""The one part of strategy/ that imports Streamlit: page set-up, the filter sidebar, cached data, chart blocks."""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Iterator

import duckdb
import pandas as pd
import plotly.graph_objects as go
import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from strategy import access, analysis, board_pack, db, images, slides
from strategy.access import LOCAL_USER, PermissionDenied, User
from strategy.audit import record_refused_sign_in, record_sign_in
from strategy.build import build_database
from strategy.filters import URL_KEYS, Filters, filters_from_query
from strategy.framework import Framework, load_framework
from strategy.learning.records import markdown_escaped

# The pages, in the order the sidebar lists them, each with the action (strategy.access) a person needs to see it
# listed. A page not listed here is not shown in the navigation. Hiding is a courtesy: every page also asks for
# its action in page_setup, and every write checks again in strategy/.
NAVIGATION = [
    ("app.py", "Overview", ":material/dashboard:", "read"),
    ("pages/1_Alignment.py", "Alignment", ":material/grid_on:", "read"),
    ("pages/2_Coverage_and_gaps.py", "Coverage and gaps", ":material/troubleshoot:", "read"),
    ("pages/3_Places.py", "Places", ":material/map:", "read"),
    ("pages/4_Trends.py", "Indicator trends", ":material/trending_up:", "read"),
    ("pages/5_Upload.py", "Upload activities", ":material/upload_file:", "import_activities"),
    ("pages/6_Presentation.py", "Presentation", ":material/slideshow:", "read"),
    ("pages/7_Shared_purpose.py", "Shared purpose", ":material/flag:", "read"),
    ("pages/8_Empathy_maps.py", "Empathy maps", ":material/diversity_3:", "read"),
    ("pages/9_Experiments.py", "Experiments", ":material/science:", "read"),
    ("pages/10_Learning_log.py", "Learning log", ":material/menu_book:", "read"),
    ("pages/11_Admin.py", "Admin", ":material/admin_panel_settings:", "manage_users"),
]

# Headings in the page list, each shown above the first page of its group that the person may use.
NAVIGATION_GROUPS = {"app.py": "Dashboard", "pages/5_Upload.py": "Partners", "pages/6_Presentation.py": "Board",
                     "pages/7_Shared_purpose.py": "Learning workspace", "pages/11_Admin.py": "Administration"}

WIDGET_KEYS = {"places": "filter_places", "sectors": "filter_sectors", "aims": "filter_aims", "ways": "filter_ways",
               "themes": "filter_themes", "partners": "filter_partners", "date_from": "filter_from",
               "date_to": "filter_to"}
FILTER_URL_KEYS = frozenset(URL_KEYS.values()) | {"from", "to"}


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


@st.cache_resource(show_spinner=False)
def connection(path: str) -> duckdb.DuckDBPyConnection:
    """The server's one connection to the database (it is the only writer); queries take cursors from it."""
    if not os.path.exists(path):
        build_database(path)
    con = db.connect(path)
    db.migrate(con)
    return con


def database_file() -> str:
    return str(db.database_path())


def open_connection() -> duckdb.DuckDBPyConnection:
    """The server's connection, proved by a real read; a broken one (closed, invalidated by a failed write, its
    file gone bad) is dropped and the file reopened, so the dashboard recovers without a restart.
    DatabaseUnavailable, saying why, when the file cannot be used."""
    path = database_file()
    con = connection(path)
    if _answers(con):
        return con
    _drop_connection(con)
    con = connection(path)
    if not _answers(con):
        _drop_connection(con)
        raise db.DatabaseUnavailable(f"The database {path} opened but could not be read.")
    return con


def _answers(con: duckdb.DuckDBPyConnection) -> bool:
    try:
        cursor = con.cursor()
        try:
            cursor.execute("SELECT count(*) FROM meta").fetchall()
        finally:
            cursor.close()
        return True
    except duckdb.Error:
        return False


def _drop_connection(con: duckdb.DuckDBPyConnection) -> None:
    """Forget the cached connection and its answers, and let go of the file."""
    connection.clear()
    st.cache_data.clear()
    try:
        con.close()
    except duckdb.Error:
        pass


def cached(question: str, filters: Filters, *args) -> object:
    """The answer to one analysis question for one filter set, shared across sessions until data changes."""
    with database_trouble_shown():
        return _answer(database_file(), question, filters, *args)


@contextmanager
def database_trouble_shown() -> Iterator[None]:
    """Run a read; if the database itself has become unusable, show the maintenance message instead of a
    traceback (and drop the connection so the next run reopens it). A mistake in a query still raises."""
    try:
        yield
    except db.DatabaseUnavailable as problem:
        show_maintenance(problem)
    except duckdb.Error as error:
        try:
            con = connection(database_file())
        except db.DatabaseUnavailable as problem:
            show_maintenance(problem)
        if _answers(con):
            raise
        _drop_connection(con)
        show_maintenance(db.DatabaseUnavailable(f"The database stopped answering: {error}"))


def show_maintenance(problem: Exception) -> None:
    """The plain message every page shows when the data cannot be read; it checks again by itself."""
    st.title("The dashboard is being looked after")
    st.warning(f"The dashboard's data cannot be read just now, so nothing is shown rather than something wrong. "
               f"This page tries again every {MAINTENANCE_RETRY_SECONDS} seconds and comes back by itself when the "
               "data is readable again.", icon=":material/construction:")
    st.button("Try again now", icon=":material/refresh:")
    with st.expander("For the administrator"):
        st.text(str(problem))
        st.markdown("See **Operations** in the README: *When the dashboard shows the maintenance message*.")
    _retry_when_readable()
    st.stop()


MAINTENANCE_RETRY_SECONDS = 10


@st.fragment(run_every=MAINTENANCE_RETRY_SECONDS)
def _retry_when_readable() -> None:
    if st.session_state.get("_maintenance_checks", 0) > 0:
        try:
            open_connection()
        except (db.DatabaseUnavailable, duckdb.Error):
            pass
        else:
            st.session_state["_maintenance_checks"] = 0
            st.rerun(scope="app")
    st.session_state["_maintenance_checks"] = st.session_state.get("_maintenance_checks", 0) + 1


@st.cache_data(show_spinner=False, ttl=3600)
def _answer(database: str, question: str, filters: Filters, *args) -> object:
    con = connection(database)
    framework = load_framework()
    function = getattr(analysis, question)
    if question in ("data_coverage", "need_by_place", "partner_names"):
        return function(con)
    return function(con, framework, filters, *args)


def data_changed() -> None:
    """Call after any write: every cached answer and figure is recomputed on the next run."""
    st.cache_data.clear()
    _figure.clear()


# Captions and help text in Streamlit's default grey fall short of WCAG AA contrast (3.8:1); this darker grey
# gives 6:1 on white and on the sidebar. A fixed style block: no user text ever goes into it.
READABLE_TEXT_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p, [data-testid="stSidebar"] p {
  color: #55565b !important; opacity: 1 !important; }
kbd { color: #55565b !important; opacity: 1 !important; }
</style>"""


def page_setup(title: str, icon: str = ":material/bar_chart:", sidebar_filters: bool = True,
               action: str = "read", writes: str | None = None) -> Page:
    """Configure the page, open the data, find who is signed in (or ask them to sign in), refuse the page if their
    role lacks its action, draw the navigation, filter sidebar and demo banner; what the page needs. `writes` names
    the action the page's forms need: people without it are told, before they fill one in, that they can only read."""
    st.set_page_config(page_title=f"{title} · Making our Move", page_icon=icon, layout="wide")
    signing_in = sign_in_active()
    if signing_in:
        harden_for_sign_in()
    try:
        con = open_connection()
    except db.DatabaseUnavailable as problem:
        show_maintenance(problem)
    st.session_state["_maintenance_checks"] = 0
    st.html(READABLE_TEXT_CSS)
    user = signed_in_user(con) if signing_in else LOCAL_USER
    framework = load_framework()
    coverage = cached("data_coverage", Filters())
    _navigation(user)
    require_page_permission(user, action, title)
    filters = _sidebar(framework) if sidebar_filters else Filters()
    page = Page(con=con, framework=framework, filters=filters, coverage=coverage, user=user)
    if sidebar_filters and user.can("export"):
        with st.sidebar:
            _export_activities(page)
    if page.is_demo:
        st.warning("**Demo data.** Every partner and activity here is fictional, generated to show how the "
                   "dashboard works. Population, deprivation and Active Lives figures are real.",
                   icon=":material/science:")
    st.title(title)
    if writes and not user.can(writes, user.partner):
        st.info(f"You can read this page. Only {access.who_may(writes)} can {access.ACTION_WORDS[writes]}; ask your "
                "administrator if you need to.", icon=":material/visibility:")
    return page


def _navigation(user: User) -> None:
    """The pages this person may use, and who they are signed in as."""
    with st.sidebar:
        st.markdown("**Making our Move**")
        try:
            group = None
            for path, label, icon, action in NAVIGATION:
                group = NAVIGATION_GROUPS.get(path, group)
                if user.can(action, user.partner):
                    if group:
                        st.caption(group)
                        group = None
                    st.page_link(path, label=label, icon=icon)
        except StreamlitPageNotFoundError:
            pass  # a page run on its own (not through app.py) has no other pages to link to
        st.divider()
        if user.is_local:
            st.caption(f":material/computer: **{user.label}**: every right, for one person on this computer.")
        else:
            st.caption(f":material/person: Signed in as {escaped(user.email)} — {user.role}"
                       + (f" for {escaped(user.partner)}" if user.partner else ""))
            if st.button("Sign out", icon=":material/logout:", key="sign_out"):
                st.logout()
        st.divider()


def harden_for_sign_in() -> None:
    """Server-wide settings for a shared server (sign-in mode is server-wide too): no error details or tracebacks
    on screen, and no built-in CSV download or copy of tables, which would bypass the role check, the audit log and
    formula-safe export. Local mode keeps both for the one person at the keyboard."""
    st.set_option("client.showErrorDetails", "none")
    st.set_option("client.disableDataExport", True)


def require_page_permission(user: User, action: str, title: str) -> None:
    """Stop the page with the reason when the user's role lacks its action (a page opened by its address)."""
    try:
        access.require(user, action, user.partner)
    except PermissionDenied as refusal:
        st.title(title)
        st.error(str(refusal), icon=":material/lock:")
        st.page_link("app.py", label="Back to the overview", icon=":material/dashboard:")
        st.stop()


def _export_activities(page: Page) -> None:
    """Analysts and admins: the filtered activities as a formula-safe CSV or Excel file, audited when prepared."""
    from strategy import exports

    with st.expander("Export these activities", icon=":material/download:"):
        file_format = st.segmented_control("Format", ["csv", "xlsx"], default="csv", key="export_format") or "csv"
        if st.button("Prepare the export", key="export_prepare", help="Recorded in the audit log."):
            table = exports.activities_export(page.con, page.framework, page.filters, page.user)
            st.session_state["activities_export"] = (file_format, exports.table_bytes(
                table, file_format, title="Activities", filters_text=page.filters.describe(page.framework),
                is_demo=page.is_demo), len(table))
        prepared = st.session_state.get("activities_export")
        if prepared:
            st.download_button(f"Download {prepared[2]:,} activities", prepared[1], f"activities.{prepared[0]}",
                               key="export_download", icon=":material/download:", on_click="ignore")


def escaped(text: str) -> str:
    """User text made inert for Streamlit markdown: no links, emphasis, HTML or colour directives."""
    special = "\\`*_{}[]()#+-.!|<>:~$="
    return "".join("\\" + c if c in special else c for c in str(text))


# --- Sign-in (Streamlit's st.login with an OpenID Connect provider) ---------------------------------------------

def sign_in_active() -> bool:
    """Sign-in mode: STRATEGY_AUTH=oidc, or an [auth] section in Streamlit's secrets (STRATEGY_AUTH=local forces
    local mode)."""
    chosen = os.environ.get(access.AUTH_ENVIRONMENT, "").strip().lower()
    if chosen == "local":
        return False
    if access.sign_in_mode():
        return True
    try:
        return "auth" in st.secrets
    except Exception:  # no secrets file at all: local mode
        return False


def _providers() -> list[str | None]:
    """The providers configured under [auth]: None for the default one, else each [auth.NAME] section."""
    try:
        section = st.secrets["auth"]
    except Exception:
        return [None]
    named = [name for name, value in section.items() if hasattr(value, "keys")]
    return ([None] if "client_id" in section else []) + named or [None]


PROVIDER_NAMES = {"microsoft": "Microsoft (council and NHS accounts)", "google": "Google"}


def signed_in_user(con: duckdb.DuckDBPyConnection) -> User:
    """The signed-in person as a user of the dashboard; otherwise a sign-in screen or a polite refusal (stops).

    Looked up on every run, never cached: a changed role or a deactivation takes effect at once."""
    from strategy.users import signed_in_user as known_user

    if not st.user.is_logged_in:
        st.title("Making our Move alignment dashboard")
        st.markdown("Sign in with your organisation's account to see the dashboard.")
        for provider in _providers():
            label = "Sign in" if provider is None else f"Sign in with {PROVIDER_NAMES.get(provider, provider)}"
            if st.button(label, type="primary", icon=":material/login:", key=f"sign_in_{provider or 'default'}"):
                st.login(provider) if provider else st.login()
        st.stop()
    email = st.user.get("email") or ""
    try:
        user = known_user(con, email)
    except PermissionDenied as refusal:
        if st.session_state.get("refused_sign_in") != email:
            with db.transaction(con):
                record_refused_sign_in(con, email)
            st.session_state["refused_sign_in"] = email
        st.title("You are signed in, but not yet a user here")
        st.info(f"{escaped(str(refusal))}\n\nThe dashboard is open to the partners, board members and analysts of Making our "
                "Move. Your administrator can add you in a minute.", icon=":material/mail:")
        if st.button("Sign out", icon=":material/logout:", key="sign_out_unknown"):
            st.logout()
        st.stop()
    if st.session_state.get("signed_in_as") != user.email:
        with db.transaction(con):
            record_sign_in(con, user, st.user.get("iat"))
        st.session_state["signed_in_as"] = user.email
    return user


def _sidebar(framework: Framework) -> Filters:
    """The filter widgets, kept in step with the URL so a copied link opens the same view."""
    from_url = filters_from_query({key: st.query_params.get_all(key) for key in st.query_params.keys()}, framework)
    remembered: Filters | None = st.session_state.get("filters")
    if remembered is None or (not from_url.is_empty() and from_url != remembered):
        current = from_url  # first visit, or a link opened in this session
        _seed_widgets(current, force=True)
    else:
        current = remembered  # moving between pages drops the query string; keep the session's filters
        _seed_widgets(current, force=False)

    place_options = [p.code for p in framework.counties()] + [p.code for p in framework.local_places()]
    place_names = {p.code: p.name + (" (county, all districts)" if p.level == "county" else "")
                   for p in framework.places}
    partners = cached("partner_names", Filters())
    with st.sidebar:
        st.header("Filters")
        st.multiselect("Place", place_options, key=WIDGET_KEYS["places"], format_func=place_names.get,
                       placeholder="All places", help="Choosing a county includes its districts.")
        st.multiselect("Sector", [s.code for s in framework.sectors], key=WIDGET_KEYS["sectors"],
                       format_func=lambda c: framework.label("sector", c), placeholder="All sectors")
        st.multiselect("Aim", [a.code for a in framework.aims], key=WIDGET_KEYS["aims"],
                       format_func=lambda c: framework.label("aim", c), placeholder="All aims")
        st.multiselect("Way of working", [w.code for w in framework.ways], key=WIDGET_KEYS["ways"],
                       format_func=lambda c: framework.label("way", c), placeholder="All ways of working")
        st.multiselect("Theme", [t.code for t in framework.themes], key=WIDGET_KEYS["themes"],
                       format_func=lambda c: framework.label("theme", c), placeholder="All themes")
        st.multiselect("Partner", sorted(set(partners) | set(current.partners)), key=WIDGET_KEYS["partners"],
                       placeholder="All partners")
        left, right = st.columns(2)
        left.date_input("From", key=WIDGET_KEYS["date_from"], format="DD/MM/YYYY")
        right.date_input("To", key=WIDGET_KEYS["date_to"], format="DD/MM/YYYY")
        chosen = Filters(**{name: tuple(st.session_state[key]) if isinstance(st.session_state[key], list)
                            else st.session_state[key] for name, key in WIDGET_KEYS.items()})
        if not chosen.is_empty():
            st.button("Clear filters", on_click=_clear_filters, icon=":material/filter_alt_off:")
        st.caption("The address bar holds these filters: copy it to share exactly this view.")
    st.session_state["filters"] = chosen
    filter_keys = {*URL_KEYS.values(), "from", "to"}
    others = {k: st.query_params.get_all(k) for k in st.query_params.keys() if k not in filter_keys}
    wanted = {**others, **chosen.to_query()}  # a page's own parameters (an indicator, a slide) are kept
    if wanted != {k: st.query_params.get_all(k) for k in st.query_params.keys()}:
        st.query_params.from_dict(wanted)
    return chosen


def _seed_widgets(filters: Filters, force: bool) -> None:
    for name, key in WIDGET_KEYS.items():
        if force or key not in st.session_state:
            value = getattr(filters, name)
            st.session_state[key] = list(value) if isinstance(value, tuple) else value


def _clear_filters() -> None:
    _seed_widgets(Filters(), force=True)


def figure(chart: str, *args, **kwargs) -> go.Figure:
    """charts.<chart>(*args, **kwargs), built once and shared by every session until data changes.

    Building a plotly figure (which validates every property) costs more than the rest of a page run put together,
    so with a room full of people on the same view it is built once. Callers must not change the figure they get.
    """
    return _figure(database_file(), chart, *args, **kwargs)


@st.cache_resource(show_spinner=False, max_entries=300)
def _figure(database: str, chart: str, *args, **kwargs) -> go.Figure:
    from strategy import charts

    return getattr(charts, chart)(*args, **kwargs)


def chart_block(fig: go.Figure, summary: str, table: pd.DataFrame, key: str) -> None:
    """A chart with its one-sentence summary, PNG and SVG downloads, and a table view of the same numbers.

    The summary sits directly under the chart (screen readers reach it next) and is the alt text of every
    exported image. Images are drawn only when a download is clicked, then cached by the figure.
    """
    with st.container(key=f"chart_{key}"):
        st.plotly_chart(fig, key=key, alt=summary, config={"displaylogo": False,
                                                           "toImageButtonOptions": {"format": "png", "scale": 2}})
        st.caption(summary)
        downloads = st.container(horizontal=True, gap="small")
        downloads.download_button("Download PNG", data=lambda: images.figure_image(fig, "png"), file_name=f"{key}.png",
                            mime="image/png", key=f"{key}_png", on_click="ignore", icon=":material/image:",
                            help="The chart as a picture, for documents and slides")
        downloads.download_button("Download SVG", data=lambda: images.figure_image(fig, "svg"), file_name=f"{key}.svg",
                            mime="image/svg+xml", key=f"{key}_svg", on_click="ignore", icon=":material/draw:",
                            help="The chart as a scalable drawing, for print")
        with st.expander("Show as table"):
            st.dataframe(table, hide_index=True, width="stretch")


def board_slides_for(filters: Filters) -> list[slides.Slide]:
    """The board's slides for the filters, shared across sessions until data changes."""
    return _board_slides(filters, database_file())


@st.cache_data(show_spinner=False, ttl=3600)
def _board_slides(filters: Filters, path: str) -> list[slides.Slide]:
    return slides.board_slides(connection(path), load_framework(), filters)


def board_pack_download(filters: Filters, file_format: str, user: User) -> None:
    """A button that makes the board pack (.pptx or .pdf) for the filters when clicked (analysts and admins)."""
    if not user.can("export"):
        return
    labels = {".pptx": ("Board pack (PowerPoint)", ":material/slideshow:"),
              ".pdf": ("Board pack (PDF)", ":material/picture_as_pdf:")}
    label, icon = labels[file_format]
    if file_format == ".pdf":
        try:
            board_pack.libreoffice()
        except board_pack.BoardPackError as problem:
            st.button(label, icon=icon, disabled=True, help=str(problem), key="board_pack_pdf_missing")
            return
    path = database_file()
    st.download_button(label, data=lambda: _board_pack_file(filters, file_format, path, user), icon=icon,
                       file_name=f"making-our-move-board-pack{file_format}", mime=board_pack.FORMATS[file_format],
                       key=f"board_pack{file_format.replace('.', '_')}", on_click="ignore", type="primary",
                       help="Every slide with its chart, key figures as an editable table, source and caveats")


def _board_pack_file(filters: Filters, file_format: str, path: str, user: User) -> bytes:
    """Made afresh for each download (not cached across sessions): each one is checked and audited for its user."""
    return board_pack.board_pack_bytes(connection(path), load_framework(), filters, file_format, actor=user)


# Presentation mode: no sidebar, large type. A fixed style block; no user text ever goes into it.
PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"] {
  display: none; }
[data-testid="stMain"] h2 { font-size: 2.4rem; line-height: 1.25; }
[data-testid="stMain"] p, [data-testid="stMain"] [data-testid="stCaptionContainer"] { font-size: 1.2rem; }
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; max-width: 100%; }
</style>"""


def presentation_style() -> None:
    st.html(PRESENTATION_CSS)


def slide_number(count: int) -> int:
    """The slide shown, from ?slide=N in the address (1-based); anything else opens the first slide."""
    text = st.query_params.get("slide", "1")
    number = int(text) if text.isdigit() else 1
    number = min(max(number, 1), max(count, 1))
    st.query_params["slide"] = str(number)
    return number


def show_slide(number: int) -> None:
    st.query_params["slide"] = str(number)


def money(value: float) -> str:
    return f"£{value:,.0f}"




# --- Indicators: cached answers and headline tiles (Overview, Places, Trends) -----------------------------------
_INDICATOR_QUESTIONS_WITH_FILTERS = ("activity_timeline", "headline_indicators")


def cached_indicators(question: str, filters: Filters, *args) -> object:
    """The answer to one strategy.indicator_trends question, cached like cached() and cleared by data_changed()."""
    with database_trouble_shown():
        return _indicator_answer(database_file(), question, filters, *args)


@st.cache_data(show_spinner=False, ttl=3600)
def _indicator_answer(database: str, question: str, filters: Filters, *args) -> object:
    from strategy import indicator_trends

    con = connection(database)
    function = getattr(indicator_trends, question)
    if question == "indicator_catalogue":
        return function(con)
    if question in _INDICATOR_QUESTIONS_WITH_FILTERS:
        return function(con, load_framework(), filters, *args)
    return function(con, load_framework(), *args)


DELTA_COLOURS = {"higher_is_better": "normal", "lower_is_better": "inverse"}


def headline_indicator_tiles(filters: Filters) -> None:
    """Metric tiles of the headline indicators for the filtered place: latest value, change since the previous
    period (green when it moved the good way, by the indicator's polarity), comparison and trend in the help."""
    from strategy.indicator_trends import headline_place

    # The tiles depend only on the one place they describe, so they are cached by that place: sessions with other
    # aims, sectors or dates share them (computing them was most of a first Overview's time under load).
    place_code = headline_place(load_framework(), filters)
    table = cached_indicators("headline_indicators",
                              Filters() if place_code == load_framework().benchmark else Filters(places=(place_code,)))
    if table.empty:
        return
    place = table.place_name.iloc[0]
    st.markdown(f"**Population indicators: {place}**" + ("" if len(filters.places) == 1 or place != "England"
                                                         else " — choose one place in the filters to see its own"))
    for tile, row in zip(st.columns(len(table)), table.itertuples()):
        unit = "%" if row.unit == "%" else ""
        delta = None if pd.isna(row.change) else f"{row.change:+.1f}{' points' if unit else ''} since {row.previous_period}"
        england = "" if pd.isna(row.england_value) or row.place_name == "England" else \
            f" England: {row.england_value:.1f}{unit}."
        tile.metric(f"{row.short_name} ({row.period})", f"{row.value:.1f}{unit}", delta=delta, border=True,
                    delta_color=DELTA_COLOURS.get(row.polarity, "off"),
                    help=f"Compared with England: {row.compared_to_england}. Recent trend: {row.recent_trend}."
                         f"{england} Aim {row.aim}.")


def acting_user() -> User:
    """Who is making a change on this page: the signed-in user (as found by page_setup), else the local user."""
    if not sign_in_active():
        return LOCAL_USER
    from strategy.users import signed_in_user as known_user

    return known_user(connection(database_file()), st.user.get("email") or "")


# --- Learning workspace widgets (shared by the purpose, empathy map, experiment and learning log pages) -------------

def actor() -> User:
    """Who is making a change (the learning pages' name for acting_user)."""
    return acting_user()


@contextmanager
def writing(page: Page) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of its own for one write (sessions never share one), and fresh cached answers afterwards; a write
    the person's role does not allow stops the page with the reason."""
    cursor = page.con.cursor()
    try:
        yield cursor
    except PermissionDenied as refusal:
        st.error(str(refusal), icon=":material/lock:")
        st.stop()
    finally:
        cursor.close()
        data_changed()


def export_button(label: str, data: bytes | str, file_name: str, **options) -> None:
    """A download of data the page prepared, for analysts and admins only; each download is audited."""
    user = acting_user()
    if not user.can("export"):
        return
    options.pop("on_click", None)
    st.download_button(label, data, file_name=file_name, on_click=_record_download, args=(user, file_name),
                       **options)


def _record_download(user: User, file_name: str) -> None:
    con = connection(database_file())
    with db.transaction(con):
        db.audit(con, user, "export", f"download {file_name}")


def show_problems(problems: tuple[str, ...] | list[str], what: str = "Nothing was saved") -> None:
    """Every problem with a save at once, as escaped text."""
    st.error(f"{what}. Please fix:\n\n" + "\n".join(f"- {markdown_escaped(p)}" for p in problems),
             icon=":material/error:")


def pinned_quotes(quotes: pd.DataFrame, heading: str = "In residents' words") -> None:
    """Resident quotes beside the numbers; the words are shown as typed (escaped, never read as Markdown or HTML)."""
    st.markdown(f"**{heading}**")
    if quotes.empty:
        st.caption("No resident quotes are pinned here yet. Pin one from an empathy map.")
        return
    for quote in quotes.itertuples():
        source = f" — {markdown_escaped(quote.source)}" if quote.source else ""
        st.info(f"“{markdown_escaped(quote.text)}”{source}  \n*From the empathy map: {markdown_escaped(quote.subject)}*",
                icon=":material/format_quote:")


def involvement_editor(page: Page, record_kind: str, record_id: int) -> None:
    """Who to involve or influence for one purpose or experiment: the list, sectors missing, add and remove."""
    from strategy.learning import involvements

    people = involvements.involvements_for(page.con, page.framework, record_kind, record_id)
    if people.empty:
        st.caption("No one named yet: who are your allies, who needs influencing, who else needs to be in the room?")
    else:
        st.dataframe(people[["name", "role_label", "sector_label", "note"]], hide_index=True, width="stretch",
                     column_config={"name": "Person or organisation", "role_label": "Role", "sector_label": "Sector",
                                    "note": "Note"})
    missing = involvements.missing_sectors(page.framework, people)
    if missing:
        st.markdown("**Sectors missing from the room:** "
                    + ", ".join(page.framework.label("sector", c) for c in missing))
    partners = cached("partner_names", Filters())
    with st.form(f"involve_{record_kind}_{record_id}", clear_on_submit=True, border=True):
        st.markdown("**Name someone**")
        left, middle, right = st.columns([3, 2, 2])
        partner = left.selectbox("A registered partner", partners, index=None, placeholder="Choose a partner…")
        other = left.text_input("…or another organisation or person")
        role = middle.selectbox("Role", list(involvements.ROLES), format_func=involvements.ROLES.get)
        sector = right.selectbox("Sector (for others)", [s.code for s in page.framework.sectors], index=None,
                                 format_func=lambda c: page.framework.label("sector", c), placeholder="Not known")
        note = st.text_input("Note (optional)")
        if st.form_submit_button("Add", icon=":material/person_add:"):
            with writing(page) as cursor:
                saved = involvements.add_involvement(cursor, page.framework, actor(), record_kind, record_id,
                                                     partner or other, role, None if partner else sector, note)
            if saved.ok:
                st.rerun()
            show_problems(saved.problems)
    removable = people.dropna(subset=["involvement_id"])
    if len(removable):
        with st.expander("Remove someone"):
            chosen = st.selectbox("Name", removable.involvement_id.astype(int).tolist(), key=f"remove_{record_kind}",
                                  format_func=dict(zip(removable.involvement_id.astype(int), removable.name)).get)
            if st.button("Remove", key=f"remove_button_{record_kind}", icon=":material/person_remove:"):
                with writing(page) as cursor:
                    involvements.remove_involvement(cursor, actor(), chosen)
                st.rerun()


def place_choices(framework: Framework) -> tuple[list[str], dict[str, str]]:
    """Counties then local areas, and their display names, for place pickers on the learning pages."""
    options = [p.code for p in framework.counties()] + [p.code for p in framework.local_places()]
    names = {p.code: p.name + (" (county)" if p.level == "county" else "") for p in framework.places}
    return options, names


_MARKDOWN_SPECIAL = "\\`*_{}[]()<>#+-.!|~$:"


def plain(text: object) -> str:
    """Text shown exactly as written in Streamlit's markdown: user values cannot add links, images or formatting."""
    return "".join("\\" + c if c in _MARKDOWN_SPECIAL else c for c in str(text))
