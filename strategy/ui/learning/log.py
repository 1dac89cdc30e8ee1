"""The Learning log page's parts: the commitment tiles and list, a reflection written, the log, the timeline by aim
and the downloads."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from strategy.exports import table_bytes
from strategy.filters import Filters
from strategy.learning import commitments, purposes
from strategy.learning.exports import EXPORT_NAMES, learning_tables, readable_table
from strategy.ui.learning import actor, export_button, place_choices, show_problems, writing
from strategy.ui.page import Page
from strategy.ui.text import plain


def commitment_tiles(promises: pd.DataFrame) -> None:
    """Each commitment counted in one tile: open and not past its date, past its date (not kept), or kept."""
    tiles = st.columns(3)
    tiles[0].metric(
        "Open, not past their date",
        int((promises.state == "open").sum()),
        border=True,
        help="Not kept yet, and their date is today or later (or they have none).",
    )
    tiles[1].metric(
        "Past their date, not kept",
        int((promises.state == "past its date").sum()),
        border=True,
        help="Not kept, and their date has passed: overdue.",
    )
    tiles[2].metric("Kept", int((promises.state == "kept").sum()), border=True)


def commitments_owed(page: Page, promises: pd.DataFrame, today: date) -> None:
    """The commitments with their state, and marking one that is still open as kept today."""
    st.dataframe(
        readable_table(promises, page.framework)[
            ["state", "commitment", "owner", "due_date", "days_past", "author", "purpose", "experiment", "places"]
        ],
        hide_index=True,
        width="stretch",
        column_config={
            "due_date": st.column_config.DateColumn("By", format="DD/MM/YYYY"),
            "days_past": st.column_config.NumberColumn("Days past", format="%d"),
            "state": "State",
            "commitment": "Commitment",
            "owner": "Owner",
            "author": "From",
            "purpose": "Purpose",
            "experiment": "Experiment",
            "places": "Places",
        },
    )
    still_open = promises[promises.state != "kept"]
    if len(still_open):
        left, right = st.columns([3, 1], vertical_alignment="bottom")
        kept = left.selectbox(
            "Mark as kept",
            still_open.reflection_id.astype(int).tolist(),
            format_func=dict(zip(still_open.reflection_id.astype(int), still_open.commitment)).get,
        )
        if right.button("Kept today", icon=":material/task_alt:"):
            with writing(page) as cursor:
                commitments.mark_commitment_done(cursor, actor(), kept, today)
            st.rerun()


def reflection_form(page: Page, today: date) -> None:
    """The workshops' prompts (folded away), then a reflection and its one commitment, added to the log."""
    with st.expander("Prompts from the workshops"):
        st.markdown(
            "\n".join(
                f"- **{commitments.HEADINGS[key]}:** {' '.join(questions)}"
                for key, questions in commitments.PROMPTS.items()
            )
        )
    with st.form("reflection", clear_on_submit=True):
        options, place_names = place_choices(page.framework)
        purpose_list = purposes.purposes(page.con, page.framework, Filters())
        purpose_names = dict(zip(purpose_list.purpose_id.astype(int), purpose_list.group_name))
        left, middle, right = st.columns(3)
        author = left.text_input("Who is reflecting", placeholder="Your name, or the group's")
        kind = middle.selectbox("Individual or group", list(commitments.KINDS), format_func=commitments.KINDS.get)
        heading = right.selectbox("Heading", list(commitments.HEADINGS), format_func=commitments.HEADINGS.get)
        resonated = st.text_area("What resonated", height=70)
        learned = st.text_area("What I learned", height=70)
        commitment = st.text_input("The one practical thing I will do")
        owner = left.text_input("Owner of the commitment")
        due = middle.date_input("By when", value=None, format="DD/MM/YYYY")
        reflected_on = right.date_input("Date of reflection", value=today, format="DD/MM/YYYY")
        aims = left.multiselect(
            "Aims", [a.code for a in page.framework.aims], format_func=lambda c: page.framework.label("aim", c)
        )
        places = middle.multiselect("Places", options, format_func=place_names.get, placeholder="Partnership-wide")
        purpose = right.selectbox(
            "Shared purpose", list(purpose_names), format_func=purpose_names.get, index=None, placeholder="None"
        )
        if st.form_submit_button("Add to the log", type="primary", icon=":material/save:"):
            with writing(page) as cursor:
                saved = commitments.save_reflection(
                    cursor,
                    page.framework,
                    actor(),
                    author,
                    kind,
                    heading,
                    reflected_on,
                    resonated,
                    learned,
                    commitment,
                    owner,
                    due,
                    aims,
                    places,
                    purpose,
                )
            if saved.ok:
                st.toast("Added to the learning log.", icon=":material/check:")
            else:
                show_problems(saved.problems)


def log_entries(page: Page) -> None:
    """The latest fifty reflections for the filters, each in its own box."""
    entries = commitments.reflections(page.con, page.framework, page.filters)
    if entries.empty:
        st.caption("Nothing in the log for these filters yet.")
    for entry in entries.head(50).itertuples():
        with st.container(border=True):
            st.markdown(
                f"**{plain(entry.author)}** · {commitments.HEADINGS.get(entry.heading, '')} · "
                f"{entry.reflected_on:%d %b %Y}"
            )
            for label, text in (
                ("Resonated", entry.resonated),
                ("Learned", entry.learned),
                ("Will do", entry.commitment),
            ):
                if isinstance(text, str) and text:
                    st.markdown(f"*{label}:* {plain(text)}")


def timeline_by_aim(page: Page) -> None:
    """Learning recorded for the filters, one folded list per aim."""
    events = commitments.learning_timeline(page.con, page.framework, page.filters)
    for aim_label, part in events.groupby("aim_label", sort=False):
        with st.expander(f"{aim_label} — {len(part)} entr{'y' if len(part) == 1 else 'ies'}"):
            for event in part.itertuples():
                st.markdown(
                    f"**{event.day:%d %b %Y}** · {event.kind} · {plain(event.heading)}  \n"
                    f"{plain(event.text)} :gray[— {plain(event.who)}]"
                )
    if events.empty:
        st.caption("No learning recorded for these filters yet.")


def learning_downloads(page: Page, today: date) -> None:
    """Every learning table, following the filters, as a CSV file each."""
    st.caption("Each table follows the sidebar filters. Files open safely in Excel (no cell is run as a formula).")
    tables = learning_tables(page.con, page.framework, page.filters, today)
    for name, table in tables.items():
        export_button(
            f"{EXPORT_NAMES[name]} ({len(table)} rows, CSV)",
            table_bytes(table, "csv"),
            file_name=f"{name.replace('_', '-')}.csv",
            mime="text/csv",
            key=f"download_{name}",
            icon=":material/download:",
        )
