"""The Shared purpose page's parts: the three answers written and saved as a version, the one-page card, and the
network of who works with whom."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from strategy.learning import charts as learning_charts
from strategy.learning import involvements, network, purposes
from strategy.learning.records import codes_text, places_text
from strategy.ui.learning import actor, place_choices, show_problems, writing
from strategy.ui.page import Page
from strategy.ui.records import NEW, remember_saved
from strategy.ui.text import plain
from strategy.ui.widgets import chart_block

CHOICE_KEY = "purpose_choice"


def purpose_writer(page: Page, current: pd.Series | None, chosen: int | None) -> None:
    """The group, its places and aims and the three answers, with a word count against the guide; saved as the
    purpose's next version (or a new purpose); its earlier versions below."""
    version = int(current.version) if current is not None else 0
    key = f"{chosen or NEW}_{version}"  # fresh boxes when another purpose or a new version is shown
    options, place_names = place_choices(page.framework)
    left, right = st.columns(2)
    group_name = left.text_input("Group name", value=current.group_name if current is not None else "", key=f"pn_{key}")
    members = right.text_input(
        "Members",
        value=current.members if current is not None else "",
        key=f"pm_{key}",
        placeholder="Who is in the group",
    )
    places = left.multiselect(
        "Places",
        options,
        default=list(current.places) if current is not None else [],
        format_func=place_names.get,
        key=f"pp_{key}",
        placeholder="Partnership-wide",
    )
    aims = right.multiselect(
        "Aims it serves",
        [a.code for a in page.framework.aims],
        default=list(current.aims) if current is not None else [],
        key=f"pa_{key}",
        format_func=lambda c: page.framework.label("aim", c),
    )
    answers = {
        field: st.text_area(
            question, value=current[field] if current is not None else "", height=110, key=f"{field}_{key}"
        )
        for field, question in purposes.QUESTIONS.items()
    }
    words = purposes.word_count(*answers.values())
    st.markdown(
        f"**{words} words** of about {purposes.WORD_GUIDE}. :gray[Counted when you leave a box or press Ctrl+Enter.]"
    )
    st.progress(min(words / purposes.WORD_GUIDE, 1.0))
    if prompt := purposes.length_prompt(words):
        st.info(prompt, icon=":material/edit_note:")
    if st.button("Save purpose" if chosen is None else "Save as a new version", type="primary", icon=":material/save:"):
        with writing(page) as cursor:
            saved = purposes.save_purpose(
                cursor,
                page.framework,
                actor(),
                group_name,
                answers["what_text"],
                answers["why_text"],
                answers["benefits_text"],
                members,
                places,
                aims,
                purpose_id=chosen,
            )
        if saved.ok:
            remember_saved(CHOICE_KEY, saved.record_id)
            st.toast("Purpose saved.", icon=":material/check:")
            st.rerun()
        show_problems(saved.problems)
    if current is not None:
        with st.expander(f"Earlier versions ({version})"):
            st.dataframe(
                purposes.purpose_versions(page.con, chosen),
                hide_index=True,
                width="stretch",
                column_config={"written_at": st.column_config.DatetimeColumn("Written", format="DD/MM/YYYY")},
            )


def purpose_card(page: Page, current: pd.Series | None, chosen: int | None) -> None:
    """The purpose as a card, and the same card as a page to print."""
    if current is None:
        st.caption("Save the purpose first; its card appears here.")
        return
    with st.container(border=True):
        st.markdown(f"### {plain(current.group_name)}")
        st.caption(
            f"Version {int(current.version)}, {current.written_at:%d %B %Y} · {int(current.words)} words · "
            f"{places_text(page.framework, current.places)} · "
            f"{codes_text(page.framework, 'aim', current.aims) or 'all aims'}"
        )
        for field, question in purposes.QUESTIONS.items():
            st.markdown(f"**{question}**  \n{plain(current[field])}")
    involved = involvements.involvements_for(page.con, page.framework, "purpose", chosen)
    st.download_button(
        "Download the printable card (HTML, prints on one A4 page)",  # a print of the card shown
        purposes.purpose_card_html(current, page.framework, involved),
        file_name=f"shared-purpose-{chosen}.html",
        mime="text/html",
        icon=":material/print:",
    )


def who_works_with_whom(page: Page) -> None:
    """The network of partners linked by shared purposes and experiments, and who bridges sectors."""
    members_table = network.memberships(page.con, page.framework, page.filters)
    graph = network.partner_network(members_table)
    measures = network.network_measures(graph)
    summary = network.sectors_in_room_summary(page.framework, measures)
    if measures.empty:
        st.info(plain(summary))
        return
    figure = learning_charts.network_figure(
        measures,
        network.network_layout(graph),
        list(graph.edges(data="weight")),
        page.framework,
        "Who works with whom on shared purposes and experiments",
        page.source("the learning workspace"),
    )
    table = measures.assign(
        sector=measures.sector.map(lambda c: page.framework.label("sector", c) if c else "Not known"),
        linked_sectors=measures.linked_sectors.map(lambda codes: codes_text(page.framework, "sector", codes)),
    )
    chart_block(figure, summary, table, key="learning_network")
    st.caption(
        f"Linked: named as involved or as an ally (or leading) on the same purpose or experiment. "
        f"A bridge links to {network.BRIDGE_MIN_SECTORS} or more sectors other than its own."
    )
