"""Presentation: the board's slides one at a time, full width, large type, with the board pack to download."""

import streamlit as st

from strategy.charts import projector_figure
from strategy.ui import (board_pack_download, board_slides_for, chart_block, no_activities_yet, page_setup, plain,
                         presentation_style, slide_number, show_slide)
from strategy.ui.loop import decision_states, record_decision

page = page_setup("Board presentation", icon=":material/slideshow:")
presentation_style()
if no_activities_yet(page, 'The slides and the board pack are made from them.'):
    st.stop()
slides = board_slides_for(page.filters)
number = slide_number(len(slides))
slide = slides[number - 1]

back, position, forward = st.columns([1, 4, 1], vertical_alignment="center")
back.button("Previous", icon=":material/arrow_back:", on_click=show_slide, args=(number - 1,),
            disabled=number == 1, key="previous_slide", width="stretch", shortcut="PageUp")
position.markdown(f"Slide **{number} of {len(slides)}**: {plain(slide.name)}", width="stretch", text_alignment="center")
forward.button("Next", icon=":material/arrow_forward:", icon_position="right", on_click=show_slide,
               args=(number + 1,), disabled=number == len(slides), key="next_slide", width="stretch",
               shortcut="PageDown")

st.header(plain(slide.headline), anchor=False)  # a scenario's headline carries its name
chart_block(projector_figure(slide.figure), slide.summary, slide.table, key=f"slide_{slide.key}")
st.caption(plain(slide.source + (" " + slide.caveat if slide.caveat else "")))

record_decision(page, f"Presentation: {slide.name}")

st.divider()
st.markdown(f"**Showing:** {plain(page.filters.describe(page.framework))}. Change the filters on any other page; "
            "this presentation and the board pack follow them.")
pptx, pdf, _ = st.columns([1, 1, 2])
with pptx:
    board_pack_download(page.filters, ".pptx", page.user)
with pdf:
    board_pack_download(page.filters, ".pdf", page.user)
st.markdown("[Back to the dashboard](./)")  # a plain link: page_link cannot name app.py when a page runs alone
with st.expander("The board's decisions", icon=":material/checklist:"):
    decision_states(page)
