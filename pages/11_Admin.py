"""Admin: who may sign in and with which role, the partner organisations, and the audit log of who did what."""

import streamlit as st

from strategy.ui import page_setup
from strategy.ui.admin import audit_log, partners_part, user_form, users_table

page = page_setup("Admin", icon=":material/admin_panel_settings:", sidebar_filters=False, action="manage_users")
st.caption("Users, their roles and organisations, and the audit log. Every change here is itself in the log.")

users_tab, partners_tab, audit_tab = st.tabs(["Users", "Partners", "Audit log"])
with users_tab:
    user_form(page)
    users_table(page)
with partners_tab:
    partners_part(page)
with audit_tab:
    audit_log(page)
