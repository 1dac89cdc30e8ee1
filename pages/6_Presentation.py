"""Presentation: the board's slides one at a time, one screen each, large type, with the board pack to make."""

import streamlit as st

from strategy.ui import (
    board_pack_download,
    board_slides_for,
    no_activities_yet,
    page_setup,
    plain,
    presentation_style,
    show_slide,
    slide_number,
)
from strategy.ui.loop import decision_states, record_decision
from strategy.ui.presentation import slide_chart, slide_controls, slide_footer

page = page_setup("Board presentation", icon=":material/slideshow:")
presentation_style()
if no_activities_yet(page, "The slides and the board pack are made from them."):
    st.stop()
slides = board_slides_for(page.filters)
number = slide_number(len(slides))
slide = slides[number - 1]

back, position, forward = st.columns([1, 4, 1], vertical_alignment="center")
back.button(
    "Previous",
    icon=":material/arrow_back:",
    on_click=show_slide,
    args=(number - 1,),
    disabled=number == 1,
    key="previous_slide",
    width="stretch",
    shortcut="PageUp",
)
position.markdown(f"Slide **{number} of {len(slides)}**: {plain(slide.name)}", width="stretch", text_alignment="center")
forward.button(
    "Next",
    icon=":material/arrow_forward:",
    icon_position="right",
    on_click=show_slide,
    args=(number + 1,),
    disabled=number == len(slides),
    key="next_slide",
    width="stretch",
    shortcut="PageDown",
)

footer = slide_footer(slide, page.filters.describe(page.framework))
st.header(plain(slide.headline), anchor=False)  # a scenario's headline carries its name
slide_chart(slide, footer)
controls = slide_controls(slide)
with controls:
    # the decisions open over the slide, so the slide still fits one screen
    with controls.popover("Decisions", icon=":material/checklist:"):
        record_decision(page, f"Presentation: {slide.name}")
        st.markdown("**The board's decisions**")
        decision_states(page)
    board_pack_download(page.filters, ".pptx", page.user)
    board_pack_download(page.filters, ".pdf", page.user)
    st.markdown("[Back to the dashboard](./)")  # a plain link: page_link cannot name app.py when a page runs alone
st.caption(plain(footer))
