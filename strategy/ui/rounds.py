"""The Reporting round page's parts: a partner's own return, opening a round, a round's status and counts, and the
reminder for each partner who has not returned."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import streamlit as st

from strategy.access import PermissionDenied
from strategy.periods import govuk_date
from strategy.rounds import (
    LATE,
    NOT_STARTED,
    RETURNED,
    RoundProblem,
    open_round,
    record_reminder,
    reminder_text,
    round_status,
)
from strategy.rounds.organisations import base_url, partner_names
from strategy.ui.page import Page
from strategy.ui.signin import log_refusal
from strategy.ui.text import plain

PAGE_PATH = "Reporting_round"
STATUS_WORDS = (
    "A partner has **returned** when they uploaded activities after the round opened (an upload rolled back "
    "does not count); with no return they are **late** once the deadline has passed (the deadline day "
    "itself is still on time), otherwise **not started**."
)


def own_return(page: Page) -> None:
    """A partner's view: the round asking for their return, its deadline and whether it has come in."""
    found, status = round_status(page.con, page.user)
    if found is None or status.empty:
        st.info(
            "No reporting round is asking for your return at the moment. You can upload an update at any time.",
            icon=":material/event:",
        )
    else:
        mine = status.iloc[0]
        words = {
            RETURNED: f"received on {govuk_date(pd.Timestamp(mine.returned_at))}. Thank you.",
            LATE: "not received yet, and the deadline has passed.",
            NOT_STARTED: "not received yet.",
        }
        st.markdown(
            f"**{plain(found.name)}**: your return is due on {govuk_date(found.deadline)}; {words[mine.status]}"
        )
    st.page_link("pages/5_Upload.py", label="Get your pre-filled return and upload it", icon=":material/upload_file:")


def open_round_form(page: Page, rounds: pd.DataFrame, today: date) -> None:
    """Open a round with its name, deadline and the partners expected (open when there is no round yet); the
    round just opened is said so."""
    with st.expander("Open a new round", expanded=rounds.empty, icon=":material/add:"):
        with st.form("open_round", border=False):
            name = st.text_input("Name of the round", placeholder="e.g. 2026/27 Q2", key="round_name")
            deadline = st.date_input(
                "Deadline", value=today + timedelta(days=28), format="DD/MM/YYYY", key="round_deadline"
            )
            every = st.checkbox("Every partner is expected to return", value=True, key="round_all")
            chosen = st.multiselect(
                "Or only these partners",
                partner_names(page.con),
                key="round_partners",
                help="Used when the box above is not ticked.",
            )
            if st.form_submit_button("Open the round", type="primary", icon=":material/event_available:"):
                try:
                    opened = open_round(
                        page.con, page.user, name, deadline, partners=None if every else chosen, all_partners=every
                    )
                except RoundProblem as problem:
                    st.error(plain(problem), icon=":material/error:")
                except PermissionDenied as problem:
                    log_refusal(problem, "open a reporting round")
                    st.error(plain(problem), icon=":material/lock:")
                else:
                    st.session_state["round_opened"] = opened.name
                    st.rerun()
    if "round_opened" in st.session_state:
        st.success(f"Opened the round {plain(st.session_state.pop('round_opened'))}.", icon=":material/task_alt:")


def chosen_round(page: Page, rounds: pd.DataFrame) -> tuple:
    """The round chosen (named with its deadline) and its status: (round, one row per partner expected)."""
    choice = st.selectbox(
        "Round",
        rounds.name.tolist(),
        key="round_choice",
        format_func=lambda n: f"{n} (deadline {govuk_date(pd.Timestamp(rounds.set_index('name').deadline[n]))})",
    )
    return round_status(page.con, page.user, choice)


def round_progress(found, status: pd.DataFrame, today: date) -> None:
    """How many partners are expected, returned, late and not started; the deadline against today; and each
    partner's return."""
    counts = status.status.value_counts()
    overdue = today > found.deadline
    cells = st.columns(4)
    cells[0].metric("Partners expected", f"{len(status):,}")
    cells[1].metric("Returned", f"{counts.get(RETURNED, 0):,}")
    cells[2].metric("Late", f"{counts.get(LATE, 0):,}")
    cells[3].metric("Not started", f"{counts.get(NOT_STARTED, 0):,}")
    st.caption(
        f"Deadline {govuk_date(found.deadline)}; today is {govuk_date(today)}"
        + (" (the deadline has passed)." if overdue else f" ({(found.deadline - today).days} days to go).")
    )
    shown = status[["partner", "status", "current_activities"]].assign(
        returned=[f"{govuk_date(t)} {t:%H:%M}" if pd.notna(t) else "" for t in status.returned_at],
        by=status.returned_by.fillna(""),
        upload=[str(int(u)) if pd.notna(u) else "" for u in status.upload_id],
    )
    st.dataframe(
        shown[["partner", "status", "returned", "by", "upload", "current_activities"]],
        hide_index=True,
        width="stretch",
        key="round_status",
        column_config={"current_activities": "current activities"},
    )


def reminders(page: Page, found, status: pd.DataFrame, today: date) -> None:
    """A ready reminder for each partner who has not returned (late first), with the dashboard's link, and
    recording it as sent."""
    waiting = status[status.status != RETURNED].partner.tolist()
    if not waiting:
        st.success("Every expected partner has returned.", icon=":material/task_alt:")
        return
    address = base_url(st.context.url, PAGE_PATH)
    if not address:
        address = st.text_input(
            "The dashboard's address, for the link in the reminder",
            key="round_address",
            placeholder="https://dashboard.example.org",
        )
    who = st.selectbox(
        "Reminder for",
        waiting,
        key="round_reminder_partner",
        help="Late partners first. Copy the text (the copy button at its top right) into an email.",
    )
    state = status.set_index("partner").status[who]
    st.code(
        reminder_text(found, who, state, address or "(the dashboard's address)", today), language=None, wrap_lines=True
    )
    if st.button(
        "Mark this reminder as sent",
        icon=":material/mark_email_read:",
        key="round_reminder_sent",
        help="Writes it to the audit log, so others can see who was reminded and when.",
    ):
        try:
            record_reminder(page.con, page.user, found, who)
        except PermissionDenied as problem:
            log_refusal(problem, "send a round reminder")
            st.error(plain(problem), icon=":material/lock:")
        else:
            st.success(f"Recorded: reminder for {plain(who)} sent.", icon=":material/task_alt:")
