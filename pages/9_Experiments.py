"""Safe-to-fail experiments: the register, each one's signals and decision, and its marker on the indicators it
watches."""

import streamlit as st

from strategy.learning import experiments
from strategy.learning.exports import readable_table
from strategy.ui import involvement_editor, page_setup
from strategy.ui.learning.experiments import CHOICE_KEY, experiment_form, experiment_register, watched_trends
from strategy.ui.records import chosen_record
from strategy.ui.sidebar import LEARNING_FILTERS

page = page_setup("Experiments", icon=":material/science:", writes="edit_learning", sidebar_filters=LEARNING_FILTERS)
st.caption(
    "Small, safe-to-fail tries: what we think will happen, the signals that would tell us, and what we decide "
    "at review — amplify, adapt or stop. Every experiment also counts as an activity (tagged as an "
    "experiment) in the alignment views."
)

register = experiments.experiments(page.con, page.framework, page.filters)
experiment_register(readable_table(register, page.framework))

chosen = chosen_record(
    "Experiment",
    dict(zip(register.experiment_id.astype(int), register.title)),
    "➕ Register a new experiment",
    key=CHOICE_KEY,
)
current = experiments.experiment(page.con, chosen) if chosen is not None else None

details, watch, people = st.tabs(["Details", "Indicators it watches", "Who is involved"])
with details:
    experiment_form(page, current, chosen)
with watch:
    watched_trends(page, current, chosen)
with people:
    if current is None:
        st.caption("Register the experiment first, then name who is involved.")
    else:
        involvement_editor(page, "experiment", chosen)
