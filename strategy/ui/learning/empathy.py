"""The Empathy maps page's parts: who a map is about, its four quadrants of notes and quotes, adding and removing a
note."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from strategy.exports import table_bytes
from strategy.learning import empathy, purposes
from strategy.learning.exports import readable_table
from strategy.learning.records import codes_text, places_text
from strategy.ui.learning import actor, export_button, place_choices, show_problems, writing
from strategy.ui.page import Page
from strategy.ui.records import NEW, remember_saved
from strategy.ui.text import plain

CHOICE_KEY = "map_choice"


def map_details(page: Page, current: pd.Series | None, chosen: int | None) -> None:
    """Who or where the map is about, its places and aims and the purpose it informs: open for a new map, folded
    away under its subject once it is saved."""
    options, place_names = place_choices(page.framework)
    with st.expander(
        "Who the map is about" + ("" if current is None else f": {plain(current.subject)}"), expanded=current is None
    ):
        with st.form(f"map_{chosen or NEW}"):
            left, right = st.columns(2)
            subject = left.text_input(
                "Who or where",
                value=current.subject if current is not None else "",
                placeholder="e.g. young carers in Mansfield",
            )
            kinds = list(empathy.SUBJECT_KINDS)
            kind = right.selectbox(
                "This is",
                kinds,
                index=kinds.index(current.subject_kind) if current is not None else 2,
                format_func=empathy.SUBJECT_KINDS.get,
            )
            description = st.text_input(
                "In a sentence", value=(current.description or "") if current is not None else ""
            )
            places = left.multiselect(
                "Places",
                options,
                default=list(current.places) if current is not None else [],
                format_func=place_names.get,
                placeholder="Partnership-wide",
            )
            aims = right.multiselect(
                "Aims",
                _aim_codes(page),
                default=list(current.aims) if current is not None else [],
                format_func=_aim_label(page),
            )
            purpose_list = purposes.purposes(page.con, page.framework, page.filters)
            purpose_names = dict(zip(purpose_list.purpose_id.astype(int), purpose_list.group_name))
            purpose = st.selectbox(
                "Shared purpose it informs (optional)",
                list(purpose_names),
                format_func=purpose_names.get,
                index=list(purpose_names).index(int(current.purpose_id))
                if current is not None and pd.notna(current.purpose_id) and int(current.purpose_id) in purpose_names
                else None,
                placeholder="None",
            )
            if st.form_submit_button("Save the map", type="primary", icon=":material/save:"):
                with writing(page) as cursor:
                    saved = empathy.save_map(
                        cursor,
                        page.framework,
                        actor(),
                        subject,
                        kind,
                        description,
                        places,
                        aims,
                        purpose,
                        map_id=chosen,
                    )
                if saved.ok:
                    remember_saved(CHOICE_KEY, saved.record_id)
                    st.rerun()
                show_problems(saved.problems)


def map_quadrants(page: Page, current: pd.Series, notes: pd.DataFrame) -> None:
    """The map's places, aims and purpose in a line, then its notes in the four quadrants; quotes marked, with
    what they are pinned to."""
    st.caption(
        f"{places_text(page.framework, current.places)} · {codes_text(page.framework, 'aim', current.aims)}"
        + (f" · informs: {plain(current.purpose)}" if isinstance(current.purpose, str) else "")
    )
    quadrant_codes = list(empathy.QUADRANTS)
    for row in (quadrant_codes[:2], quadrant_codes[2:]):
        for column, quadrant in zip(st.columns(2), row):
            label, question = empathy.QUADRANTS[quadrant]
            with column.container(border=True):
                st.markdown(f"#### {label}")
                st.caption(question)
                for note in notes[notes.quadrant == quadrant].itertuples():
                    text = f"“{plain(note.text)}”" if note.is_quote else plain(note.text)
                    source = f"  \n:gray[{plain(note.source)}]" if note.source else ""
                    pinned = (
                        f"  \n:blue-badge[pinned: {plain(codes_text(page.framework, 'aim', note.pinned_aims))}"
                        f" · {plain(places_text(page.framework, note.pinned_places))}]"
                        if len(note.pinned_aims) or len(note.pinned_places)
                        else ""
                    )
                    st.markdown(("- :material/format_quote: " if note.is_quote else "- ") + text + source + pinned)
                if notes[notes.quadrant == quadrant].empty:
                    st.caption("Nothing noted yet.")


def note_form(page: Page, chosen: int) -> None:
    """Add a note to a quadrant: a note, or a resident's own words pinned to aims and places."""
    options, place_names = place_choices(page.framework)
    quadrant_codes = list(empathy.QUADRANTS)
    with st.form(f"note_{chosen}", clear_on_submit=True):
        st.markdown("**Add a note**")
        left, right = st.columns([1, 3])
        quadrant = left.selectbox("Quadrant", quadrant_codes, format_func=lambda q: empathy.QUADRANTS[q][0])
        text = right.text_area("Note, or a resident's own words", height=80)
        source = right.text_input("Source (optional)", placeholder="e.g. resident interview, May 2025; insight report")
        is_quote = left.checkbox(
            "Resident quote", help="A person's own words. Quotes can be pinned to aims and places."
        )
        pin_left, pin_right = st.columns(2)
        pin_aims = pin_left.multiselect("Pin to aims (quotes only)", _aim_codes(page), format_func=_aim_label(page))
        pin_places = pin_right.multiselect("Pin to places (quotes only)", options, format_func=place_names.get)
        if st.form_submit_button("Add note", icon=":material/add_comment:"):
            with writing(page) as cursor:
                saved = empathy.add_note(
                    cursor, page.framework, actor(), chosen, quadrant, text, source, is_quote, pin_aims, pin_places
                )
            if saved.ok:
                st.rerun()
            show_problems(saved.problems)


def remove_note(page: Page, notes: pd.DataFrame) -> None:
    """Take one note off the map (folded away)."""
    with st.expander("Remove a note"):
        note_id = st.selectbox(
            "Note",
            notes.note_id.astype(int).tolist(),
            format_func=dict(zip(notes.note_id.astype(int), notes.text.str[:80])).get,
        )
        if st.button("Remove note", icon=":material/delete:"):
            with writing(page) as cursor:
                empathy.remove_note(cursor, actor(), note_id)
            st.rerun()


def notes_download(page: Page, notes: pd.DataFrame, chosen: int) -> None:
    """The map's notes as a CSV file (for those who may export)."""
    export_button(
        "Download this map's notes (CSV)",
        table_bytes(readable_table(notes, page.framework), "csv"),
        file_name=f"empathy-map-{chosen}.csv",
        mime="text/csv",
        icon=":material/download:",
    )


def _aim_codes(page: Page) -> list[str]:
    return [a.code for a in page.framework.aims]


def _aim_label(page: Page):
    return lambda c: page.framework.label("aim", c)
