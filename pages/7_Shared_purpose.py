"""Shared purpose: a group's three short answers, its versions, a printable card, its allies, and who bridges
sectors."""

import streamlit as st

from strategy.exports import table_bytes
from strategy.learning import charts as learning_charts
from strategy.learning import involvements, network, purposes
from strategy.learning.exports import readable_table
from strategy.learning.records import codes_text, places_text
from strategy.ui import (
    actor,
    chart_block,
    export_button,
    involvement_editor,
    page_setup,
    place_choices,
    plain,
    show_problems,
    writing,
)
from strategy.ui.page import LEARNING_FILTERS

NEW = 0
page = page_setup("Shared purpose", icon=":material/flag:", writes="edit_learning", sidebar_filters=LEARNING_FILTERS)
st.caption(
    "Always start with purpose: what do we want to do, why, and what will the benefits be — about 100 words, "
    "good enough for now. Every saved wording is kept with its date."
)

shown = purposes.purposes(page.con, page.framework, page.filters)
names = {NEW: "➕ A new shared purpose"} | dict(zip(shown.purpose_id.astype(int), shown.group_name))
just_saved = st.session_state.pop("purpose_saved", None)
if just_saved is not None:
    st.session_state["purpose_choice"] = just_saved
    if just_saved not in names:
        st.info("Saved. It does not match the sidebar filters, so it is not listed here; clear the filters to see it.")
if st.session_state.get("purpose_choice") not in names:
    st.session_state["purpose_choice"] = next(iter(list(names)[1:]), NEW)
chosen = st.selectbox(
    "Group",
    list(names),
    format_func=names.get,
    key="purpose_choice",
    help="The list follows the place, aim and partner filters in the sidebar.",
)
current = shown[shown.purpose_id == chosen].iloc[0] if chosen != NEW else None

write, card, people, room = st.tabs(["Write the purpose", "One-page card", "Who is involved", "Network"])
with write:
    version = int(current.version) if current is not None else 0
    key = f"{chosen}_{version}"  # fresh boxes when another purpose or a new version is shown
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
    if st.button("Save purpose" if chosen == NEW else "Save as a new version", type="primary", icon=":material/save:"):
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
                purpose_id=None if chosen == NEW else chosen,
            )
        if saved.ok:
            st.session_state["purpose_saved"] = saved.record_id
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

with card:
    if current is None:
        st.caption("Save the purpose first; its card appears here.")
    else:
        with st.container(border=True):
            st.markdown(f"### {plain(current.group_name)}")
            st.caption(
                f"Version {version}, {current.written_at:%d %B %Y} · {int(current.words)} words · "
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

with people:
    if current is None:
        st.caption("Save the purpose first, then name its allies and stakeholders.")
    else:
        involvement_editor(page, "purpose", chosen)

with room:
    members_table = network.memberships(page.con, page.framework, page.filters)
    graph = network.partner_network(members_table)
    measures = network.network_measures(graph)
    summary = network.sectors_in_room_summary(page.framework, measures)
    if measures.empty:
        st.info(plain(summary))
    else:
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
export_button(
    "Download shared purposes (CSV)",
    table_bytes(readable_table(shown, page.framework), "csv"),
    file_name="shared-purposes.csv",
    mime="text/csv",
    icon=":material/download:",
)
