"""The Admin page's parts: adding and changing users, stopping one signing in, adding partners, and the audit log
filtered and exported."""

from __future__ import annotations

from collections.abc import Callable

import streamlit as st

from strategy.access import ROLES, PermissionDenied
from strategy.audit import audit_entries, audit_export
from strategy.ui.page import Page
from strategy.ui.signin import log_refusal
from strategy.ui.text import plain
from strategy.users import UserProblem, add_partner, add_user, change_user, deactivate_user, list_partners, list_users

ROLE_HELP = {
    "viewer": "reads every dashboard",
    "partner": "reads, and uploads and rolls back their own organisation's activities",
    "analyst": "reads, exports, imports indicator values",
    "admin": "everything, including users, partners and the audit log",
}


def outcome(change: Callable[[], str]) -> None:
    """Run one change; show what happened or why not, in the page's words."""
    try:
        st.success(plain(change()), icon=":material/check_circle:")
    except (UserProblem, PermissionDenied) as problem:
        if isinstance(problem, PermissionDenied):
            log_refusal(problem, "admin page")
        st.error(plain(problem), icon=":material/error:")


def user_form(page: Page) -> None:
    """Add a user with a role (and a partner organisation, for partners), or change a user's role."""
    with st.form("add_user", clear_on_submit=True, border=True):
        st.markdown("**Add a user, or change a user's role**")
        email, role, partner = st.columns([3, 3, 3])
        email = email.text_input("Email (as their organisation's sign-in knows it)", key="user_email")
        role = role.selectbox("Role", ROLES, key="user_role", format_func=lambda r: f"{r}: {ROLE_HELP[r]}")
        partner_names = list_partners(page.con, page.user).name.tolist()
        partner = partner.selectbox(
            "Partner organisation (partners only)", partner_names, index=None, key="user_partner", placeholder="None"
        )
        add, change = st.columns(2)
        if add.form_submit_button("Add user", type="primary", icon=":material/person_add:"):
            outcome(lambda: f"Added {add_user(page.con, page.user, email, role, partner).email} as {role}.")
        if change.form_submit_button("Change role", icon=":material/manage_accounts:"):
            outcome(lambda: f"{change_user(page.con, page.user, email, role, partner).email} is now {role}.")


def users_table(page: Page) -> None:
    """Every user with their role, and stopping one signing in (their history stays)."""
    users = list_users(page.con, page.user)
    st.dataframe(
        users,
        hide_index=True,
        width="stretch",
        key="users_table",
        column_config={
            "created_at": st.column_config.DatetimeColumn("added", format="DD/MM/YYYY HH:mm"),
            "updated_at": st.column_config.DatetimeColumn("changed", format="DD/MM/YYYY HH:mm"),
        },
    )
    active = users[users.active].email.tolist()
    if not active:
        st.caption("No users yet: add the first above. Until someone is added, nobody can sign in.")
        return
    leaving, button = st.columns([3, 1], vertical_alignment="bottom")
    chosen = leaving.selectbox("Stop a user signing in (their history stays)", active, index=None, key="deactivate")
    if button.button("Deactivate", icon=":material/person_off:", key="deactivate_button"):
        if chosen is None:
            st.warning("Choose the user to deactivate first.")
        else:
            outcome(lambda: (deactivate_user(page.con, page.user, chosen), f"{chosen} can no longer sign in.")[1])


def partners_part(page: Page) -> None:
    """Add a partner organisation with its sector; the partners so far."""
    with st.form("add_partner", clear_on_submit=True, border=True):
        name, sector = st.columns([3, 2])
        name = name.text_input("Partner organisation", key="partner_name")
        sector = sector.selectbox(
            "Sector",
            [s.code for s in page.framework.sectors],
            index=None,
            key="partner_sector",
            format_func=lambda c: page.framework.label("sector", c),
            placeholder="Not known",
        )
        if st.form_submit_button("Add partner", icon=":material/add_business:"):
            outcome(lambda: f"Added {add_partner(page.con, page.user, name, sector)}.")
    st.dataframe(list_partners(page.con, page.user), hide_index=True, width="stretch", key="partners_table")


def audit_log(page: Page) -> None:
    """The audit log, newest first, narrowed to one action and one person if chosen; its export (itself audited)
    prepared on request."""
    entries = audit_entries(page.con, page.user, limit=100_000)
    pick_action, pick_person = st.columns(2)
    action = pick_action.selectbox(
        "Action", sorted(entries.action.unique()), index=None, key="audit_action", placeholder="All actions"
    )
    person = pick_person.selectbox(
        "Who", sorted(entries.actor.dropna().unique()), index=None, key="audit_actor", placeholder="Everyone"
    )
    shown = entries[
        (entries.action.eq(action) if action else entries.action.notna())
        & (entries.actor.eq(person) if person else entries.action.notna())
    ]
    st.markdown(f"**{len(shown):,}** entries, newest first.")
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="audit_table",
        column_config={
            "logged_at": st.column_config.DatetimeColumn("when", format="DD/MM/YYYY HH:mm:ss"),
            "upload_id": st.column_config.NumberColumn("upload", format="%d"),
        },
    )
    file_format = st.segmented_control("Export as", ["csv", "xlsx"], default="csv", key="audit_format") or "csv"
    if st.button(
        "Prepare the export",
        icon=":material/download:",
        key="audit_prepare",
        help="The export is itself recorded in the audit log.",
    ):
        st.session_state["audit_export"] = (file_format, audit_export(page.con, page.user, file_format, action, person))
    if "audit_export" in st.session_state:
        prepared_format, data = st.session_state["audit_export"]
        st.download_button(
            f"Download the audit log ({prepared_format.upper()})",
            data,
            f"audit-log.{prepared_format}",
            key="audit_download",
            type="primary",
            icon=":material/download:",
        )
