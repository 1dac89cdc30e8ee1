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
from strategy.filters import URL_KEYS, Filters, filters_from_query
from strategy.framework import Framework, FrameworkError, load_framework
from strategy.ui.data import answer, open_connection, show_maintenance
from strategy.ui.selection import undo_button
from strategy.ui.signin import sign_in_active, signed_in_user
from strategy.ui.text import plain

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
    ("pages/12_Reporting_round.py", "Reporting round", ":material/event_available:", "see_round_status"),
    ("pages/13_Where_you_fit.py", "Where you fit", ":material/hub:", "see_partner_fit"),
    ("pages/6_Presentation.py", "Presentation", ":material/slideshow:", "read"),
    ("pages/7_Shared_purpose.py", "Shared purpose", ":material/flag:", "read"),
    ("pages/8_Empathy_maps.py", "Empathy maps", ":material/diversity_3:", "read"),
    ("pages/9_Experiments.py", "Experiments", ":material/science:", "read"),
    ("pages/10_Learning_log.py", "Learning log", ":material/menu_book:", "read"),
    ("pages/11_Admin.py", "Admin", ":material/admin_panel_settings:", "manage_users"),
    ("pages/14_Accessibility.py", "Accessibility statement", ":material/accessibility_new:", "read"),
    ("pages/15_Privacy.py", "Privacy notice", ":material/policy:", "read"),
]
# Linked from the foot of every sidebar (and from the sign-in screen), not from the page list above.
FOOTER_PAGES = ("pages/14_Accessibility.py", "pages/15_Privacy.py")

# Headings in the page list, each shown above the first page of its group that the person may use.
NAVIGATION_GROUPS = {
    "app.py": "Dashboard",
    "pages/5_Upload.py": "Partners",
    "pages/6_Presentation.py": "Board",
    "pages/7_Shared_purpose.py": "Learning workspace",
    "pages/11_Admin.py": "Administration",
}

WIDGET_KEYS = {
    "places": "filter_places",
    "sectors": "filter_sectors",
    "aims": "filter_aims",
    "ways": "filter_ways",
    "themes": "filter_themes",
    "partners": "filter_partners",
    "date_from": "filter_from",
    "date_to": "filter_to",
}
# The sidebar's filters by the names pages pass to page_setup(sidebar_filters=...); "period" is both dates.
ALL_FILTERS = ("places", "sectors", "aims", "ways", "themes", "partners", "period")
# The learning workspace's lists are narrowed by place, aim and partner only (strategy.learning.records).
LEARNING_FILTERS = ("places", "aims", "partners")
FILTER_WORDS = {
    "places": "place",
    "sectors": "sector",
    "aims": "aim",
    "ways": "way of working",
    "themes": "theme",
    "partners": "partner",
    "period": "period",
}


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
    _navigation(user, framework)
    require_page_permission(user, action, title, con)
    shown_filters = ALL_FILTERS if sidebar_filters is True else tuple(sidebar_filters or ())
    filters = _sidebar(framework, shown_filters) if shown_filters else Filters()
    page = Page(con=con, framework=framework, filters=filters, coverage=coverage, user=user)
    if sidebar_filters and user.can("export"):
        with st.sidebar:
            _export_activities(page)
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


def _navigation(user: User, framework: Framework) -> None:
    """The pages this person may use, and who they are signed in as."""
    with st.sidebar:
        st.markdown(f"**{plain(framework.short_name)}**")
        try:
            group = None
            for path, label, icon, action in NAVIGATION:
                if path in FOOTER_PAGES:
                    continue
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
            st.caption(
                f":material/person: Signed in as {plain(user.email)} — {user.role}"
                + (f" for {plain(user.partner)}" if user.partner else "")
            )
            if st.button("Sign out", icon=":material/logout:", key="sign_out"):
                st.logout()
        st.divider()


def footer_links() -> None:
    """The foot of every sidebar: the accessibility statement and the privacy notice, open to everyone."""
    st.divider()
    try:
        for path, label, icon, _action in NAVIGATION:
            if path in FOOTER_PAGES:
                st.page_link(path, label=label, icon=icon)
    except StreamlitPageNotFoundError:
        pass  # a page run on its own has no other pages to link to


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


def _export_activities(page: Page) -> None:
    """Analysts and admins: the filtered activities as a formula-safe CSV or Excel file, audited when prepared."""
    from strategy import exports

    with st.expander("Export these activities", icon=":material/download:"):
        file_format = st.segmented_control("Format", ["csv", "xlsx"], default="csv", key="export_format") or "csv"
        if st.button("Prepare the export", key="export_prepare", help="Recorded in the audit log."):
            from strategy import analysis

            table = exports.activities_export(page.con, page.framework, page.filters, page.user)
            filters_text = page.filters.describe(page.framework)
            by_place = analysis.place_summary(analysis.need_vs_effort(page.con, page.framework, page.filters))
            st.session_state["activities_export"] = (
                file_format,
                exports.table_bytes(
                    table,
                    file_format,
                    title="Activities",
                    filters_text=filters_text,
                    is_demo=page.is_demo,
                    summaries={"By place": by_place},
                ),
                len(table),
            )
            # the file's name carries the filters and the date; the caption says what it holds
            st.session_state["activities_export_about"] = (
                exports.export_file_name("activities", page.filters, page.framework, file_format),
                exports.describe_export(len(table), filters_text, page.is_demo),
            )
        prepared = st.session_state.get("activities_export")
        if prepared:
            file_name, holds = st.session_state["activities_export_about"]
            st.download_button(
                f"Download {prepared[2]:,} activities",
                prepared[1],
                file_name,
                key="export_download",
                icon=":material/download:",
                on_click="ignore",
            )
            st.caption(
                f"{file_name} holds {holds}"
                + (
                    " The workbook says so on its About sheet too, and adds money by place."
                    if prepared[0] == "xlsx"
                    else " A CSV holds the rows only, so other tools read it as it is."
                )
            )


def _sidebar(framework: Framework, shown: tuple[str, ...] = ALL_FILTERS) -> Filters:
    """The filter widgets, kept in step with the URL so a copied link opens the same view. Only the filters in
    `shown` are drawn; the others keep their values (in the session and the address) for the pages that use them."""
    from_url = filters_from_query({key: st.query_params.get_all(key) for key in st.query_params.keys()}, framework)
    remembered: Filters | None = st.session_state.get("filters")
    if remembered is None or (not from_url.is_empty() and from_url != remembered):
        current = from_url  # first visit, or a link opened in this session
        _seed_widgets(current, force=True)
    else:
        current = remembered  # moving between pages drops the query string; keep the session's filters
        _seed_widgets(current, force=False)

    # the places of the view's day (a replaced place gives way to its successor), and any chosen from a link
    place_options = [p.code for p in framework.counties()] + [p.code for p in framework.local_places(current.as_of())]
    place_options += [c for c in current.places if c not in place_options]
    place_names = {
        p.code: p.name
        + (" (county, all districts)" if p.level == "county" else "")
        + (f" (replaced on {p.replaced_on:%d/%m/%Y})" if p.replaced_on else "")
        for p in framework.places
    }
    partners = answer(analysis.partner_names, Filters())
    with st.sidebar:
        st.header("Filters")
        if "places" in shown:
            st.multiselect(
                "Place",
                place_options,
                key=WIDGET_KEYS["places"],
                format_func=place_names.get,
                placeholder="All places",
                help="Choosing a county includes its districts. A place "
                "replaced by a new council counts in its successor when the period ends on or after the "
                "change.",
            )
        if "sectors" in shown:
            st.multiselect(
                "Sector",
                [s.code for s in framework.sectors],
                key=WIDGET_KEYS["sectors"],
                format_func=lambda c: framework.label("sector", c),
                placeholder="All sectors",
            )
        if "aims" in shown:
            st.multiselect(
                "Aim",
                [a.code for a in framework.aims],
                key=WIDGET_KEYS["aims"],
                format_func=lambda c: framework.label("aim", c),
                placeholder="All aims",
            )
        if "ways" in shown:
            st.multiselect(
                "Way of working",
                [w.code for w in framework.ways],
                key=WIDGET_KEYS["ways"],
                format_func=lambda c: framework.label("way", c),
                placeholder="All ways of working",
            )
        if "themes" in shown:
            st.multiselect(
                "Theme",
                [t.code for t in framework.themes],
                key=WIDGET_KEYS["themes"],
                format_func=lambda c: framework.label("theme", c),
                placeholder="All themes",
            )
        if "partners" in shown:
            st.multiselect(
                "Partner",
                sorted(set(partners) | set(current.partners)),
                key=WIDGET_KEYS["partners"],
                placeholder="All partners",
            )
        if "period" in shown:
            left, right = st.columns(2)
            left.date_input("From", key=WIDGET_KEYS["date_from"], format="DD/MM/YYYY")
            right.date_input("To", key=WIDGET_KEYS["date_to"], format="DD/MM/YYYY")
        drawn = {
            name for name in WIDGET_KEYS if name in shown or (name in ("date_from", "date_to") and "period" in shown)
        }
        chosen = Filters(
            **{
                name: (
                    tuple(st.session_state[key]) if isinstance(st.session_state[key], list) else st.session_state[key]
                )
                if name in drawn
                else getattr(current, name)
                for name, key in WIDGET_KEYS.items()
            }
        )
        if any(getattr(chosen, name) != getattr(Filters(), name) for name in drawn):
            st.button("Clear filters", on_click=_clear_filters, icon=":material/filter_alt_off:")
        undo_button(chosen, key="filter_undo_sidebar")  # a click on a chart narrowed them: one click back
        hidden = [FILTER_WORDS[name] for name in ALL_FILTERS if name not in shown]
        if hidden:
            st.caption(
                "This page's lists follow the "
                + ", ".join(FILTER_WORDS[n] for n in shown if n in FILTER_WORDS)
                + " filters only; the "
                + ", ".join(hidden)
                + " filters apply on the dashboard pages."
            )
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
