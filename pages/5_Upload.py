"""Upload: partners choose their organisation, download their pre-filled return (or the template), upload it, see
what it changes, fix every problem at once, load it whole."""

import streamlit as st

from strategy.ingest.report import Limits
from strategy.rounds.organisations import partner_names
from strategy.ui import page_setup
from strategy.ui.upload import (
    checked_upload,
    history,
    history_table,
    organisation_choice,
    refusal,
    return_and_templates,
    roll_back,
    round_reminder,
)

linked_partner = st.query_params.get("partner")  # a reminder's link names the organisation
page = page_setup("Upload activities", icon=":material/upload_file:", sidebar_filters=False, action="import_activities")
st.caption(
    "Report your organisation's activities in one spreadsheet. Nothing is saved until the whole file is "
    "right, and any upload can be rolled back."
)

st.subheader("1. Your organisation")
known = partner_names(page.con)
partner = organisation_choice(page, known, linked_partner)
refused = refusal(page, partner)

st.subheader("2. Get your return or the template")
existing_partner = partner if partner in known and not refused else None
round_name = round_reminder(page, existing_partner)
return_and_templates(page, existing_partner, round_name)

st.subheader("3. Upload your file")
file = st.file_uploader(
    f"Activity file: CSV or Excel .xlsx, up to {Limits().max_megabytes:g} MB", type=["csv", "xlsx"], key="upload_file"
)
if file is not None and not partner:
    st.info("Choose which organisation the activities belong to, above.")
if file is not None and partner and not refused:
    checked_upload(page, file.getvalue(), file.name, partner)

st.subheader("4. Upload history")
uploads = history(page, partner)
history_table(page, uploads, partner)
roll_back(page, uploads)
