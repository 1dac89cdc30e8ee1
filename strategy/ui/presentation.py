"""Presentation mode and the board pack downloads."""

from __future__ import annotations


import streamlit as st

from strategy import board_pack, images, slides
from strategy.access import User
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.ui.data import CACHE_ENTRIES, CACHE_TTL_SECONDS, connection, database_file


def board_slides_for(filters: Filters) -> list[slides.Slide]:
    """The board's slides for the filters, shared across sessions until data changes."""
    return _board_slides(filters, database_file())


@st.cache_data(show_spinner=False, ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES)
def _board_slides(filters: Filters, path: str) -> list[slides.Slide]:
    return slides.board_slides(connection(path), load_framework(), filters)


def board_pack_download(filters: Filters, file_format: str, user: User) -> None:
    """A button that makes the board pack (.pptx or .pdf) for the filters when clicked (analysts and admins)."""
    if not user.can("export"):
        return
    labels = {".pptx": ("Board pack (PowerPoint)", ":material/slideshow:"),
              ".pdf": ("Board pack (PDF)", ":material/picture_as_pdf:")}
    label, icon = labels[file_format]
    # what making the pack needs from outside Python, checked without starting it: a disabled button says why
    missing = images.unavailable_reason()
    if file_format == ".pdf" and not missing:
        try:
            board_pack.libreoffice()
        except board_pack.BoardPackError as problem:
            missing = str(problem)
    if missing:
        st.button(label, icon=icon, disabled=True, help=missing, key=f"board_pack{file_format.replace('.', '_')}_missing")
        st.caption(f"{label} cannot be made on this server: {missing}")
        return
    path = database_file()
    st.download_button(label, data=lambda: _board_pack_file(filters, file_format, path, user), icon=icon,
                       file_name=f"making-our-move-board-pack{file_format}", mime=board_pack.FORMATS[file_format],
                       key=f"board_pack{file_format.replace('.', '_')}", on_click="ignore", type="primary",
                       help="Every slide with its chart, key figures as an editable table, source and caveats")


def _board_pack_file(filters: Filters, file_format: str, path: str, user: User) -> bytes:
    """Made afresh for each download (not cached across sessions): each one is checked and audited for its user."""
    return board_pack.board_pack_bytes(connection(path), load_framework(), filters, file_format, actor=user)


# Presentation mode: no sidebar, large type. A fixed style block; no user text ever goes into it.
PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"] {
  display: none; }
[data-testid="stMain"] h2 { font-size: 2.4rem; line-height: 1.25; }
[data-testid="stMain"] p, [data-testid="stMain"] [data-testid="stCaptionContainer"] { font-size: 1.2rem; }
[data-testid="stMainBlockContainer"] { padding-top: 2.5rem; max-width: 100%; }
</style>"""


def presentation_style() -> None:
    st.html(PRESENTATION_CSS)


def slide_number(count: int) -> int:
    """The slide shown, from ?slide=N in the address (1-based); anything else opens the first slide."""
    text = st.query_params.get("slide", "1")
    number = int(text) if text.isdigit() else 1
    number = min(max(number, 1), max(count, 1))
    st.query_params["slide"] = str(number)
    return number


def show_slide(number: int) -> None:
    st.query_params["slide"] = str(number)
