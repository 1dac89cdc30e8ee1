"""Empathy maps: what it is like to be on the receiving end of the system, in four quadrants of notes and quotes."""

import streamlit as st

from strategy.learning import empathy
from strategy.ui import page_setup
from strategy.ui.learning.empathy import CHOICE_KEY, map_details, map_quadrants, note_form, notes_download, remove_note
from strategy.ui.records import FILTERED_LIST_HELP, chosen_record
from strategy.ui.sidebar import LEARNING_FILTERS

page = page_setup(
    "Empathy maps", icon=":material/diversity_3:", writes="edit_learning", sidebar_filters=LEARNING_FILTERS
)
st.caption(
    "What is it like to be on the receiving end of us, as a system? Note what a person, place or community "
    "sees, hears, thinks and feels, does and expects. Pin residents' own words to aims and places: they "
    "then appear beside the numbers on the Alignment and Places pages."
)

maps = empathy.empathy_maps(page.con, page.framework, page.filters)
chosen = chosen_record(
    "Empathy map",
    dict(zip(maps.map_id.astype(int), maps.subject)),
    "➕ A new empathy map",
    key=CHOICE_KEY,
    help=FILTERED_LIST_HELP,
)
current = maps[maps.map_id == chosen].iloc[0] if chosen is not None else None
map_details(page, current, chosen)

if current is not None:
    notes = empathy.map_notes(page.con, chosen)
    map_quadrants(page, current, notes)
    note_form(page, chosen)
    if len(notes):
        remove_note(page, notes)
        notes_download(page, notes, chosen)
