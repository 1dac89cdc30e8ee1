"""Shared purpose: a group's three short answers, its versions, a printable card, its allies, and who bridges
sectors."""

import streamlit as st

from strategy.exports import table_bytes
from strategy.learning import purposes
from strategy.learning.exports import readable_table
from strategy.ui import export_button, involvement_editor, page_setup
from strategy.ui.learning.purposes import CHOICE_KEY, purpose_card, purpose_writer, who_works_with_whom
from strategy.ui.records import FILTERED_LIST_HELP, chosen_record
from strategy.ui.sidebar import LEARNING_FILTERS

page = page_setup("Shared purpose", icon=":material/flag:", writes="edit_learning", sidebar_filters=LEARNING_FILTERS)
st.caption(
    "Always start with purpose: what do we want to do, why, and what will the benefits be — about 100 words, "
    "good enough for now. Every saved wording is kept with its date."
)

shown = purposes.purposes(page.con, page.framework, page.filters)
chosen = chosen_record(
    "Group",
    dict(zip(shown.purpose_id.astype(int), shown.group_name)),
    "➕ A new shared purpose",
    key=CHOICE_KEY,
    help=FILTERED_LIST_HELP,
)
current = shown[shown.purpose_id == chosen].iloc[0] if chosen is not None else None

write, card, people, room = st.tabs(["Write the purpose", "One-page card", "Who is involved", "Network"])
with write:
    purpose_writer(page, current, chosen)
with card:
    purpose_card(page, current, chosen)
with people:
    if current is None:
        st.caption("Save the purpose first, then name its allies and stakeholders.")
    else:
        involvement_editor(page, "purpose", chosen)
with room:
    who_works_with_whom(page)

export_button(
    "Download shared purposes (CSV)",
    table_bytes(readable_table(shown, page.framework), "csv"),
    file_name="shared-purposes.csv",
    mime="text/csv",
    icon=":material/download:",
)
