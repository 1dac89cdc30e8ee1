"""Learning log: reflections and commitments, what is past its date, and a timeline of learning per aim."""

from datetime import date

import streamlit as st

from strategy.learning import commitments
from strategy.ui import page_setup
from strategy.ui.learning.log import (
    commitment_tiles,
    commitments_owed,
    learning_downloads,
    log_entries,
    reflection_form,
    timeline_by_aim,
)
from strategy.ui.sidebar import LEARNING_FILTERS

page = page_setup("Learning log", icon=":material/menu_book:", writes="edit_learning", sidebar_filters=LEARNING_FILTERS)
st.caption(
    "Keep a note of learning and commitments as you go: what resonated, what I learned, and the one practical "
    "thing I am going to do, by when."
)
today = date.today()

promises = commitments.commitments(page.con, page.framework, page.filters, today)
commitment_tiles(promises)

owed, write, log, timeline, download = st.tabs(
    ["Commitments", "Add a reflection", "Learning log", "Timeline by aim", "Download"]
)
with owed:
    commitments_owed(page, promises, today)
with write:
    reflection_form(page, today)
with log:
    log_entries(page)
with timeline:
    timeline_by_aim(page)
with download:
    learning_downloads(page, today)
