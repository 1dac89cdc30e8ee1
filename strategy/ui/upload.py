"""The Upload page's parts: choosing the organisation, the return and templates, checking a file and showing what it
changes or what is wrong with it, loading it, and the upload history with roll back. The rules are in
strategy/ingest/ and strategy/rounds/; this draws them."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from strategy.access import PermissionDenied, require
from strategy.ingest import VALID, import_activities, rollback_upload, upload_history
from strategy.ingest.feedback import partner_preview, problem_tables, read_as
from strategy.ingest.report import ImportReport
from strategy.ingest.rollback import RollbackReport
from strategy.ingest.template import template_csv, template_xlsx
from strategy.periods import govuk_date
from strategy.rounds import CHANGE_KINDS, RETURNED, prefilled_return, return_file_name, round_status
from strategy.rounds.organisations import NEW_ORGANISATION, near_matches, same_organisation
from strategy.rounds.returns import record_download
from strategy.ui.data import data_changed
from strategy.ui.loop import where_you_fit
from strategy.ui.page import Page
from strategy.ui.signin import log_refusal
from strategy.ui.text import plain, plain_table


def _choose(name: str) -> None:
    """Pick an existing organisation (a near match offered for a new name)."""
    st.session_state["upload_choice"] = name
    st.session_state.pop("upload_new_partner", None)
    st.session_state.pop("upload_new_confirmed", None)


def organisation_choice(page: Page, known: list[str], linked_partner: str | None) -> str:
    """The organisation the upload is for ("" until there is one): a partner's own, or one chosen from the partners,
    or a new one confirmed (a near match offered first). A reminder's link names it in the address."""
    if page.user.role == "partner":  # a partner uploads for their own organisation only: nothing to choose
        partner = page.user.partner or ""
        if partner:
            st.markdown(f"You report for **{plain(partner)}**, your organisation.")
        else:
            st.error(
                "Your partner account is not linked to an organisation, so you cannot upload yet. Ask your "
                "administrator to link it.",
                icon=":material/lock:",
            )
        return partner
    if linked_partner and "upload_choice" not in st.session_state:
        st.session_state["upload_choice"] = same_organisation(linked_partner, known)
    chosen = st.selectbox(
        "Your organisation",
        [*known, NEW_ORGANISATION],
        index=None,
        key="upload_choice",
        placeholder="Choose your organisation",
        help="Choose from the partners. A new organisation is added only when you say so.",
    )
    if chosen == NEW_ORGANISATION:
        return _new_organisation(page, known)
    return "" if chosen is None else chosen


def _new_organisation(page: Page, known: list[str]) -> str:
    """The name typed for a new organisation: an existing partner's if it is one, "" until confirmed."""
    example = page.framework.example_place()
    typed = st.text_input(
        "Name of the new organisation",
        key="upload_new_partner",
        placeholder=f"e.g. {example.name} Community Trust" if example else "The organisation's full name",
    ).strip()
    existing = same_organisation(typed, known) if typed else None
    if existing:
        st.info(f"{plain(existing)} is already a partner, so the activities will go there.", icon=":material/info:")
        return existing
    if not typed:
        return ""
    near = near_matches(typed, known)
    if near:
        st.warning(
            "Is it one of these partners? Choose it rather than adding the same organisation twice.",
            icon=":material/help:",
        )
        for index, name in enumerate(near):
            st.button(name, key=f"upload_near_{index}", on_click=_choose, args=(name,), icon=":material/arrow_forward:")
    if st.checkbox(
        f"Yes, add {plain(typed)} as a new partner organisation",
        key="upload_new_confirmed",
        help="Check the spelling: this name is how the organisation appears everywhere.",
    ):
        return typed
    return ""


def refusal(page: Page, partner: str) -> str | None:
    """Why the acting user may not upload for the organisation (shown, and logged), or None when they may."""
    if not partner or page.user.can("import_activities", partner):
        return None
    refused = None
    try:
        require(page.user, "import_activities", partner)
    except PermissionDenied as problem:
        log_refusal(problem, f"upload for {partner}")
        refused = str(problem)
    st.error(plain(refused), icon=":material/lock:")
    return refused


def round_reminder(page: Page, partner: str | None) -> str | None:
    """The open reporting round's line for the organisation (returned, due or late); the round's name, if any."""
    if not partner:
        return None
    found, status = round_status(page.con, page.user, partner=partner)
    if found is None or status.empty:
        return None
    mine = status.iloc[0]
    if mine.status == RETURNED:
        st.success(
            f"Reporting round {plain(found.name)}: your return arrived on "
            f"{govuk_date(pd.Timestamp(mine.returned_at))}. Thank you; you can send an update at any time.",
            icon=":material/task_alt:",
        )
    else:
        st.info(
            f"Reporting round {plain(found.name)}: your return is due on {found.deadline.day} "
            f"{found.deadline:%B %Y}" + (", and is late." if mine.status == "late" else "."),
            icon=":material/event:",
        )
    return found.name


def return_and_templates(page: Page, partner: str | None, round_name: str | None) -> None:
    """Three downloads side by side: the organisation's return filled in with its current activities (once it is
    chosen), the empty Excel template and the CSV template."""
    left, middle, right = st.columns([2, 1, 1])
    if partner:
        return_file, count = prefilled_return(page.con, page.user, partner, page.framework, round_name, with_count=True)
        left.download_button(
            f"Your return, with your {count:,} current activities (.xlsx)",
            return_file,
            return_file_name(partner, round_name),
            icon=":material/download:",
            key="return_xlsx",
            type="primary",
            on_click=record_download,
            args=(page.con, page.user, partner, round_name),
            help="Your current activities in the Excel template, drop-down lists kept: update dates, "
            "numbers and status, add a row for each new activity, then upload it below.",
        )
    else:
        left.caption("Choose your organisation above to get your return, filled in with your current activities.")
    middle.download_button(
        "Empty Excel template",
        template_xlsx(page.framework),
        "activities-template.xlsx",
        icon=":material/download:",
        key="template_xlsx",
        on_click="ignore",
        help="Drop-down lists for sector, places, aims, ways of working and themes; a Guide sheet.",
    )
    right.download_button(
        "CSV template",
        template_csv(),
        "activities-template.csv",
        mime="text/csv",
        icon=":material/download:",
        key="template_csv",
        on_click="ignore",
    )


def checked_file(page: Page, data: bytes, file_name: str, partner: str) -> ImportReport:
    """The dry run's report on the file, kept for the session: checked again only when the file or the
    organisation changes (a progress bar while it runs)."""
    check_key = (hashlib.sha256(data).hexdigest(), partner, file_name)
    if st.session_state.get("upload_check_key") != check_key:
        bar = st.progress(0.0, "Reading the file")
        st.session_state["upload_check"] = import_activities(
            page.con,
            data,
            file_name,
            partner,
            page.user,
            dry_run=True,
            framework=page.framework,
            progress=lambda fraction, text: bar.progress(fraction, text),
        )
        st.session_state["upload_check_key"] = check_key
        st.session_state.pop("upload_loaded", None)
        bar.empty()
    return st.session_state["upload_check"]


def how_it_was_read(report: ImportReport) -> None:
    """What was assumed in reading the file (headers, date layouts, tick boxes) and its warnings."""
    if report.assumed:
        st.caption("Read as: " + plain(read_as(report.assumed)) + ".")
    for warning in report.warnings:
        st.warning(plain(warning.message), icon=":material/info:")


def loaded_outcome(page: Page, loaded: ImportReport, partner: str) -> None:
    """What loading the file did, a link to the heatmap and, when it loaded, where the organisation fits."""
    (st.success if loaded.ok else st.error)(plain(loaded.message), icon=":material/task_alt:")
    st.page_link("pages/1_Alignment.py", label="See them in the Alignment heatmap", icon=":material/grid_on:")
    if loaded.ok:
        st.subheader(f"Where {plain(partner)} fits")
        where_you_fit(page, partner, key="upload_fit")


def what_the_file_changes(report: ImportReport, partner: str) -> None:
    """How many activities the file adds, ends, changes or leaves out, and the list of them (matched by id)."""
    if not report.change_counts:
        return
    counts = report.change_counts
    st.markdown(f"**What this file changes** for {plain(partner)}, matched by activity id:")
    for column, kind in zip(st.columns(len(CHANGE_KINDS)), CHANGE_KINDS):
        column.metric(kind.capitalize(), f"{counts.get(kind, 0):,}")
    st.caption(
        "New: an activity id you had not reported. Ended: given an end date before today, where it "
        "was still running. Changed: any other difference. Not in this return: kept exactly as it "
        "is (a row left out is never deleted; to end an activity, give it an end date)."
    )
    listed = report.changes[report.changes.change != "unchanged"]
    different = sum(counts.values()) - counts.get("unchanged", 0)
    if listed.empty:
        return
    with st.expander(
        f"The {different:,} activities that are new, ended, changed or not in this return"
        + (f" (the first {len(listed):,} listed)" if different > len(listed) else ""),
        expanded=len(listed) <= 20,
    ):
        st.dataframe(
            listed.drop(columns=["row"]),
            hide_index=True,
            width="stretch",
            key="upload_changes",
            column_config={
                "what_changed": "what changed",
                "end_date_before": st.column_config.DateColumn("end date before", format="DD/MM/YYYY"),
                "end_date_now": st.column_config.DateColumn("end date in this file", format="DD/MM/YYYY"),
            },
        )


def preview(page: Page, report: ImportReport) -> None:
    """The first rows as the partner wrote them, each list followed by the strategy's names for it."""
    shown, column_help = partner_preview(report.preview, page.framework)
    st.markdown(
        f"Preview of the first {len(shown):,} rows as you wrote them; where the strategy names "
        "something differently its name follows →. Point at a column's heading to see the codes stored."
    )
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key="upload_preview",
        column_config={
            **{column: st.column_config.TextColumn(help=text) for column, text in column_help.items()},
            "row": st.column_config.NumberColumn(help="The row in your spreadsheet (the headings are row 1)."),
            "start_date": st.column_config.DateColumn(format="DD/MM/YYYY"),
            "end_date": st.column_config.DateColumn(format="DD/MM/YYYY"),
            "investment_gbp": st.column_config.NumberColumn(format="£%.2f"),
        },
    )


def load_button(page: Page, report: ImportReport, data: bytes, file_name: str, partner: str) -> None:
    """The "Load N activities" button: loads the checked file whole, then draws the page again with what happened."""
    if st.button(f"Load {report.rows:,} activities", type="primary", icon=":material/publish:", key="upload_load"):
        bar = st.progress(0.0, "Loading")
        st.session_state["upload_loaded"] = import_activities(
            page.con,
            data,
            file_name,
            partner,
            page.user,
            framework=page.framework,
            progress=lambda fraction, text: bar.progress(fraction, text),
        )
        data_changed()
        st.rerun()


def problems(report: ImportReport) -> None:
    """Why the file was refused: the download with a 'problems' column, and every problem listed by kind."""
    st.error(plain(report.message), icon=":material/error:")
    if report.annotated_file:
        st.download_button(
            "Download your file with a 'problems' column",
            report.annotated_file,
            report.annotated_file_name,
            icon=":material/download:",
            key="upload_annotated",
            on_click="ignore",
        )
    for kind, shown in problem_tables(report.errors):
        with st.expander(f"{kind.capitalize()}: {len(shown):,}", expanded=True):
            # A static table wraps long messages; a long list stays scrollable. The row is a column of its own.
            if len(shown) <= 50:
                # st.table reads text as Markdown: the file's values stay text
                st.table(plain_table(shown), hide_index=True)
            else:
                st.dataframe(shown, width="stretch", hide_index=True)
    if report.errors_total > len(report.errors):
        st.caption(
            f"The first {len(report.errors):,} of {report.errors_total:,} problems are listed; the "
            "downloaded file marks every one."
        )


def checked_upload(page: Page, data: bytes, file_name: str, partner: str) -> None:
    """The file checked, then one of: what loading it did; what it would change, a preview and the load button;
    every problem; or why it was not checked (the same file again, another upload being written)."""
    report = checked_file(page, data, file_name, partner)
    loaded = st.session_state.get("upload_loaded")
    how_it_was_read(report)
    if loaded is not None:
        loaded_outcome(page, loaded, partner)
    elif report.status == VALID:
        st.success(plain(report.message), icon=":material/check_circle:")
        what_the_file_changes(report, partner)
        preview(page, report)
        load_button(page, report, data, file_name, partner)
    elif not report.ok:
        problems(report)
    else:
        st.info(plain(report.message), icon=":material/content_copy:")


def history(page: Page, partner: str) -> pd.DataFrame:
    """The activity uploads shown: a partner's own only; an organisation's once one is chosen; otherwise all."""
    own = page.user.partner if page.user.role == "partner" else None
    uploads = upload_history(page.con, own or partner or None)
    return uploads[uploads.kind == "activities"]


def history_table(page: Page, uploads: pd.DataFrame, partner: str) -> None:
    """The uploads, newest first, with who made each, when, how many rows and whether it is loaded."""
    own = page.user.partner if page.user.role == "partner" else None
    if uploads.empty:
        st.caption("No uploads yet" + (" for this organisation." if partner else "."))
        return
    st.caption(
        f"{len(uploads):,} upload{'s' if len(uploads) != 1 else ''}"
        + (f" of {plain(own)}, your organisation (partners see only their own)." if own else ".")
    )
    st.dataframe(
        uploads[["upload_id", "partner", "uploaded_by", "uploaded_at", "file_name", "rows_loaded", "status"]],
        hide_index=True,
        width="stretch",
        key="upload_history",
        column_config={
            "upload_id": "upload",
            "uploaded_by": "who",
            "file_name": "file",
            "rows_loaded": "rows",
            "uploaded_at": st.column_config.DatetimeColumn("when", format="DD/MM/YYYY HH:mm"),
        },
    )


def roll_back(page: Page, uploads: pd.DataFrame) -> None:
    """Choose a loaded upload and roll it back (its activities removed, the versions it replaced restored); what
    happened is shown after the page is drawn again."""
    loaded_ids = uploads.loc[uploads.status == "loaded", "upload_id"].tolist() if not uploads.empty else []
    if loaded_ids:
        choice, action = st.columns([1, 2], vertical_alignment="bottom")
        upload_id = choice.selectbox("Roll back upload", loaded_ids, key="rollback_choice")
        if action.button(
            "Roll back",
            icon=":material/undo:",
            key="rollback_button",
            help="Removes that upload's activities and restores the versions it replaced.",
        ):
            try:
                outcome = rollback_upload(page.con, int(upload_id), page.user)
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
