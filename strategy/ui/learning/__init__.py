"""The learning workspace pages: the widgets they share (writing with an actor, exports, problems, quotes, people)
here; each page's own parts in purposes.py, empathy.py, experiments.py and log.py."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Iterator

import duckdb
import pandas as pd
import streamlit as st

from strategy import analysis, db
from strategy.access import PermissionDenied, User
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.ui.data import answer, connection, data_changed, database_file
from strategy.ui.page import Page
from strategy.ui.signin import acting_user, log_refusal
from strategy.ui.text import plain

# --- Learning workspace widgets (shared by the purpose, empathy map, experiment and learning log pages) -------------


def actor() -> User:
    """Who is making a change (the learning pages' name for acting_user)."""
    return acting_user()


@contextmanager
def writing(page: Page) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of its own for one write (sessions never share one), and fresh cached answers afterwards; a write
    the person's role does not allow stops the page with the reason."""
    cursor = page.con.cursor()
    try:
        yield cursor
    except PermissionDenied as refusal:
        log_refusal(refusal, "learning workspace")
        st.error(plain(refusal), icon=":material/lock:")
        st.stop()
    except db.WriteConflict as conflict:
        st.warning(str(conflict), icon=":material/sync_problem:")
        st.stop()
    finally:
        cursor.close()
        data_changed()


def export_button(label: str, data: bytes | str, file_name: str, **options) -> None:
    """A download of data the page prepared, for analysts and admins only; each download is audited."""
    user = acting_user()
    if not user.can("export"):
        return
    options.pop("on_click", None)
    st.download_button(label, data, file_name=file_name, on_click=_record_download, args=(user, file_name), **options)


def _record_download(user: User, file_name: str) -> None:
    con = connection(database_file())
    with db.transaction(con) as cursor:
        db.audit(cursor, user, "export", f"download {file_name}")


def show_problems(problems: tuple[str, ...] | list[str], what: str = "Nothing was saved") -> None:
    """Every problem with a save at once, as escaped text."""
    st.error(f"{what}. Please fix:\n\n" + "\n".join(f"- {plain(p)}" for p in problems), icon=":material/error:")


def pinned_quotes(quotes: pd.DataFrame, heading: str = "In residents' words") -> None:
    """Resident quotes beside the numbers; the words are shown as typed (escaped, never read as Markdown or HTML)."""
    st.markdown(f"**{heading}**")
    if quotes.empty:
        st.caption("No resident quotes are pinned here yet. Pin one from an empathy map.")
        return
    for quote in quotes.itertuples():
        source = f" — {plain(quote.source)}" if quote.source else ""
        st.info(
            f"“{plain(quote.text)}”{source}  \n*From the empathy map: {plain(quote.subject)}*",
            icon=":material/format_quote:",
        )


def involvement_editor(page: Page, record_kind: str, record_id: int) -> None:
    """Who to involve or influence for one purpose or experiment: the list, sectors missing, add and remove."""
    from strategy.learning import involvements

    people = involvements.involvements_for(page.con, page.framework, record_kind, record_id)
    if people.empty:
        st.caption(
            "No one named yet: who are your allies, who needs influencing, who else needs to be in the room, "
            "who can we learn from?"
        )
    else:
        st.dataframe(
            people[["name", "role_label", "sector_label", "note"]],
            hide_index=True,
            width="stretch",
            column_config={
                "name": "Person or organisation",
                "role_label": "Role",
                "sector_label": "Sector",
                "note": "Note",
            },
        )
    missing = involvements.missing_sectors(page.framework, people)
    if missing:
        st.markdown(
            "**Sectors missing from the room:** " + ", ".join(page.framework.label("sector", c) for c in missing)
        )
    partners = answer(analysis.partner_names, Filters())
    with st.form(f"involve_{record_kind}_{record_id}", clear_on_submit=True, border=True):
        st.markdown("**Name someone**")
        left, middle, right = st.columns([3, 2, 2])
        partner = left.selectbox("A registered partner", partners, index=None, placeholder="Choose a partner…")
        other = left.text_input("…or another organisation or person")
        role = middle.selectbox("Role", list(involvements.ROLES), format_func=involvements.ROLES.get)
        sector = right.selectbox(
            "Sector (for others)",
            [s.code for s in page.framework.sectors],
            index=None,
            format_func=lambda c: page.framework.label("sector", c),
            placeholder="Not known",
        )
        note = st.text_input("Note (optional)")
        if st.form_submit_button("Add", icon=":material/person_add:"):
            with writing(page) as cursor:
                saved = involvements.add_involvement(
                    cursor,
                    page.framework,
                    actor(),
                    record_kind,
                    record_id,
                    partner or other,
                    role,
                    None if partner else sector,
                    note,
                )
            if saved.ok:
                st.rerun()
            show_problems(saved.problems)
    removable = people.dropna(subset=["involvement_id"])
    if len(removable):
        with st.expander("Remove someone"):
            chosen = st.selectbox(
                "Name",
                removable.involvement_id.astype(int).tolist(),
                key=f"remove_{record_kind}",
                format_func=dict(zip(removable.involvement_id.astype(int), removable.name)).get,
            )
            if st.button("Remove", key=f"remove_button_{record_kind}", icon=":material/person_remove:"):
                with writing(page) as cursor:
                    involvements.remove_involvement(cursor, actor(), chosen)
                st.rerun()


def place_choices(framework: Framework) -> tuple[list[str], dict[str, str]]:
    """Counties then local areas, and their display names, for place pickers on the learning pages."""
    options = [p.code for p in framework.counties()] + [p.code for p in framework.local_places()]
    names = {p.code: p.name + (" (county)" if p.level == "county" else "") for p in framework.places}
    return options, names
