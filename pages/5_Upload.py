"""Upload: partners download the template, upload their activity file, fix every problem at once, load it whole."""

import hashlib

import streamlit as st

from strategy.access import PermissionDenied, require
from strategy.ingest import VALID, import_activities, rollback_upload, upload_history
from strategy.ingest.rollback import RollbackReport
from strategy.ingest.feedback import partner_preview, problem_tables, read_as
from strategy.ingest.report import Limits
from strategy.ingest.template import template_csv, template_xlsx
from strategy.ui import data_changed, log_refusal, page_setup
from strategy.ui.text import plain, plain_table

page = page_setup("Upload activities", icon=":material/upload_file:", sidebar_filters=False,
                  action="import_activities")
actor = page.user
st.session_state.setdefault("upload_partner", page.user.partner or "")  # a partner uploads for their own only
st.caption("Report your organisation's activities in one spreadsheet. Nothing is saved until the whole file is "
           "right, and any upload can be rolled back.")

st.subheader("1. Get the template")
left, right, _ = st.columns([1, 1, 2])
left.download_button("Excel template (.xlsx)", template_xlsx(page.framework), "activities-template.xlsx",
                     icon=":material/download:", key="template_xlsx", on_click="ignore",
                     help="Drop-down lists for sector, places, aims, ways of working and themes; a Guide sheet.")
right.download_button("CSV template", template_csv(), "activities-template.csv", mime="text/csv",
                      icon=":material/download:", key="template_csv", on_click="ignore")

st.subheader("2. Upload your file")
partner = st.text_input("Your organisation", key="upload_partner", placeholder="e.g. Mansfield Community Trust",
                        help="A new name adds your organisation as a partner.").strip()
file = st.file_uploader(f"Activity file: CSV or Excel .xlsx, up to {Limits().max_megabytes:g} MB",
                        type=["csv", "xlsx"], key="upload_file")
if file is not None and not partner:
    st.info("Say which organisation the activities belong to, above.")
refusal = None
if partner and not page.user.can("import_activities", partner):
    try:
        require(page.user, "import_activities", partner)
    except PermissionDenied as problem:
        log_refusal(problem, f"upload for {partner}")
        refusal = str(problem)
    st.error(plain(refusal), icon=":material/lock:")
if file is not None and partner and not refusal:
    data = file.getvalue()
    check_key = (hashlib.sha256(data).hexdigest(), partner, file.name)
    if st.session_state.get("upload_check_key") != check_key:
        bar = st.progress(0.0, "Reading the file")
        st.session_state["upload_check"] = import_activities(
            page.con, data, file.name, partner, actor, dry_run=True, framework=page.framework,
            progress=lambda fraction, text: bar.progress(fraction, text))
        st.session_state["upload_check_key"] = check_key
        st.session_state.pop("upload_loaded", None)
        bar.empty()
    report = st.session_state["upload_check"]
    loaded = st.session_state.get("upload_loaded")
    assumed = report.assumed
    if assumed:
        st.caption("Read as: " + plain(read_as(assumed)) + ".")
    for warning in report.warnings:
        st.warning(plain(warning.message), icon=":material/info:")
    if loaded is not None:
        (st.success if loaded.ok else st.error)(plain(loaded.message), icon=":material/task_alt:")
        st.page_link("pages/1_Alignment.py", label="See them in the Alignment heatmap", icon=":material/grid_on:")
    elif report.status == VALID:
        st.success(plain(report.message), icon=":material/check_circle:")
        preview, column_help = partner_preview(report.preview, page.framework)
        st.markdown(f"Preview of the first {len(preview):,} rows as you wrote them; where the strategy names "
                    "something differently its name follows →. Point at a column's heading to see the codes stored.")
        st.dataframe(preview, hide_index=True, width="stretch", key="upload_preview",
                     column_config={**{column: st.column_config.TextColumn(help=text)
                                       for column, text in column_help.items()},
                                    "row": st.column_config.NumberColumn(
                                        help="The row in your spreadsheet (the headings are row 1)."),
                                    "start_date": st.column_config.DateColumn(format="DD/MM/YYYY"),
                                    "end_date": st.column_config.DateColumn(format="DD/MM/YYYY"),
                                    "investment_gbp": st.column_config.NumberColumn(format="£%.2f")})
        if st.button(f"Load {report.rows:,} activities", type="primary", icon=":material/publish:",
                     key="upload_load"):
            bar = st.progress(0.0, "Loading")
            st.session_state["upload_loaded"] = import_activities(
                page.con, data, file.name, partner, actor, framework=page.framework,
                progress=lambda fraction, text: bar.progress(fraction, text))
            data_changed()
            st.rerun()
    elif not report.ok:
        st.error(plain(report.message), icon=":material/error:")
        if report.annotated_file:
            st.download_button("Download your file with a 'problems' column", report.annotated_file,
                               report.annotated_file_name, icon=":material/download:", key="upload_annotated",
                               on_click="ignore")
        for kind, shown in problem_tables(report.errors):
            with st.expander(f"{kind.capitalize()}: {len(shown):,}", expanded=True):
                # A static table wraps long messages; a long list stays scrollable. The row is a column of its own.
                if len(shown) <= 50:
                    st.table(plain_table(shown), hide_index=True)
                else:
                    st.dataframe(shown, width="stretch", hide_index=True)
        if report.errors_total > len(report.errors):
            st.caption(f"The first {len(report.errors):,} of {report.errors_total:,} problems are listed; the "
                       "downloaded file marks every one.")
    else:
        st.info(plain(report.message), icon=":material/content_copy:")

st.subheader("3. Upload history")
own = page.user.partner if page.user.role == "partner" else None  # a partner sees only their own uploads
history = upload_history(page.con, own or partner or None)
history = history[history.kind == "activities"]
if history.empty:
    st.caption("No uploads yet" + (" for this organisation." if partner else "."))
else:
    st.caption(f"{len(history):,} upload{'s' if len(history) != 1 else ''}"
               + (f" of {plain(own)}, your organisation (partners see only their own)." if own else "."))
    st.dataframe(history[["upload_id", "partner", "uploaded_by", "uploaded_at", "file_name", "rows_loaded",
                          "status"]], hide_index=True, width="stretch", key="upload_history",
                 column_config={"upload_id": "upload", "uploaded_by": "who", "file_name": "file",
                                "rows_loaded": "rows",
                                "uploaded_at": st.column_config.DatetimeColumn("when", format="DD/MM/YYYY HH:mm")})
    loaded_ids = history.loc[history.status == "loaded", "upload_id"].tolist()
    if loaded_ids:
        choice, action = st.columns([1, 2], vertical_alignment="bottom")
        upload_id = choice.selectbox("Roll back upload", loaded_ids, key="rollback_choice")
        if action.button("Roll back", icon=":material/undo:", key="rollback_button",
                         help="Removes that upload's activities and restores the versions it replaced."):
            try:
                outcome = rollback_upload(page.con, int(upload_id), actor)
            except PermissionDenied as problem:
                log_refusal(problem, f"roll back upload {upload_id}")
                outcome = RollbackReport(False, int(upload_id), str(problem))
            if outcome.ok:
                data_changed()
                st.session_state.pop("upload_check_key", None)
                st.session_state.pop("upload_loaded", None)
            st.session_state["rollback_message"] = (outcome.ok, outcome.message)
            st.rerun()
if "rollback_message" in st.session_state:
    ok, message = st.session_state.pop("rollback_message")
    (st.success if ok else st.error)(plain(message))
