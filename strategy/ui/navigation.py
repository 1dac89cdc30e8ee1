"""The page list in the sidebar, by role and in groups, and the links at the foot of every sidebar."""

from __future__ import annotations

import streamlit as st
from streamlit.errors import StreamlitPageNotFoundError

from strategy.access import User
from strategy.framework import Framework
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


def page_list(user: User, framework: Framework) -> None:
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
