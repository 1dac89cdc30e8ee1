"""Reporting round: leaders open a round, see who has returned, who is late and who has not started, and copy a
ready reminder for each partner; a partner sees their own return's status."""

import streamlit as st

from strategy import periods
from strategy.rounds import list_rounds
from strategy.ui import page_setup
from strategy.ui.rounds import STATUS_WORDS, chosen_round, open_round_form, own_return, reminders, round_progress

page = page_setup(
    "Reporting round", icon=":material/event_available:", sidebar_filters=False, action="see_round_status"
)
today = periods.today()

if page.user.role == "partner":  # their own organisation's return only
    own_return(page)
    st.stop()

rounds = list_rounds(page.con, page.user)
st.caption(STATUS_WORDS)
open_round_form(page, rounds, today)
if rounds.empty:
    st.info("No reporting round has been opened yet.", icon=":material/event:")
    st.stop()

found, status = chosen_round(page, rounds)
round_progress(found, status, today)

st.subheader("Reminders")
reminders(page, found, status, today)
