"""Picking one record to edit, or a new one: the list the learning pages (purposes, empathy maps, experiments) show
above their forms."""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

NEW = 0  # the value of the "new record" option (record ids start at 1)
FILTERED_LIST_HELP = "The list follows the place, aim and partner filters in the sidebar."


def chosen_record(label: str, records: Mapping[int, str], new: str, key: str, help: str | None = None) -> int | None:
    """The id of the record chosen in a list of `records` ({id: name}) headed by the option `new`; None when a new
    record is chosen. The list opens on the first record (or on new, when there are none), and on a record just
    saved with `remember_saved()`; a saved record the list does not hold (the sidebar filters leave it out) is
    said so."""
    names = {NEW: new} | {int(record_id): name for record_id, name in records.items()}
    just_saved = st.session_state.pop(_saved_key(key), None)
    if just_saved is not None:
        st.session_state[key] = just_saved
        if just_saved not in names:
            st.info(
                "Saved. It does not match the sidebar filters, so it is not listed here; clear the filters to see it."
            )
    if st.session_state.get(key) not in names:
        st.session_state[key] = next(iter(list(names)[1:]), NEW)
    chosen = st.selectbox(label, list(names), format_func=names.get, key=key, help=help)
    return None if chosen == NEW else chosen


def remember_saved(key: str, record_id: int) -> None:
    """Show the record just saved in the list `key` when the page runs again."""
    st.session_state[_saved_key(key)] = record_id


def _saved_key(key: str) -> str:
    return f"{key}_saved"
