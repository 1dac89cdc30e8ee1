"""Where you fit: what a partner's activities add: gaps filled, aims and ways served, and who else is there."""

import streamlit as st

from strategy import analysis
from strategy.ui import answer, page_setup
from strategy.ui.loop import where_you_fit

page = page_setup("Where you fit", icon=":material/hub:", sidebar_filters=False, action="see_partner_fit")
st.caption(
    "What an organisation's activities add to the partnership this year: the gaps they fill, the aims and "
    "ways of working they serve beside everyone's, and who else works on the same aims in the same places."
)
if page.user.role == "partner":  # partners see their own organisation; analysts and admins any
    partner = page.user.partner
else:
    names = answer(analysis.partner_names, page.filters)
    partner = st.selectbox(
        "Partner organisation", names, index=None, key="fit_partner", placeholder="Choose an organisation"
    )
if partner:
    where_you_fit(page, partner)
