"""Presentation mode and the board pack downloads."""

from __future__ import annotations

import streamlit as st

from strategy import charts, images, periods
from strategy.access import User
from strategy.board import pack as board_pack
from strategy.board import slides
from strategy.board.pack.slide_charts import FEW_BARS
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.ui.data import CACHE_ENTRIES, CACHE_TTL_SECONDS, connection, database_file
from strategy.ui.text import plain


def board_slides_for(filters: Filters) -> list[slides.Slide]:
    """The board's slides for the filters, shared across sessions until data changes."""
    return _board_slides(filters, database_file())


@st.cache_data(show_spinner=False, ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES)
def _board_slides(filters: Filters, path: str) -> list[slides.Slide]:
    return slides.board_slides(connection(path), load_framework(), filters)


def board_pack_download(filters: Filters, file_format: str, user: User) -> None:
    """Make the board pack (.pptx or .pdf) for the filters (analysts and admins): a button that makes it, showing
    each step while it works (a PDF takes several seconds), then a button that saves it under a name that says
    what it shows and when it was made ('board-pack_mansfield_2026-11-29.pdf')."""
    if not user.can("export"):
        return
    labels = {
        ".pptx": ("Board pack (PowerPoint)", ":material/slideshow:"),
        ".pdf": ("Board pack (PDF)", ":material/picture_as_pdf:"),
    }
    label, icon = labels[file_format]
    key = f"board_pack{file_format.replace('.', '_')}"
    # what making the pack needs from outside Python, checked without starting it: a disabled button says why
    missing = images.unavailable_reason()
    if file_format == ".pdf" and not missing:
        try:
            board_pack.libreoffice()
        except board_pack.BoardPackError as problem:
            missing = str(problem)
    if missing:
        st.button(label, icon=icon, disabled=True, help=missing, key=f"{key}_missing")
        st.caption(f"{label} cannot be made on this server: {missing}")
        return
    framework = load_framework()
    name = board_pack.pack_file_name(filters, framework, file_format, periods.today())
    made = st.session_state.get(f"{key}_made")
    if made is not None and made[0] == (filters, name):  # made for these filters today: offer it
        st.download_button(
            f"Save {name}",
            data=made[1],
            icon=":material/download:",
            file_name=name,
            mime=board_pack.FORMATS[file_format],
            key=f"{key}_save",
            on_click="ignore",
            type="primary",
            help=f"{label}, made for: {filters.describe(framework)}",
        )
        return
    if not st.button(
        label,
        icon=icon,
        key=key,
        help="Makes every slide with its chart, key figures as editable "
        "tables, source and caveats; the steps show while it works",
    ):
        return
    with st.status(f"Making the {label.lower()}…", expanded=True) as status:
        try:
            pack = board_pack.board_pack_bytes(
                connection(database_file()),
                framework,
                filters,
                file_format,
                actor=user,
                progress=lambda step: status.write(f"{step}…"),
            )
        except board_pack.BoardPackError as problem:
            status.update(label=f"The {label.lower()} could not be made", state="error")
            st.error(str(problem), icon=":material/error:")
            return
        status.update(label=f"Made {name}", state="complete")
    st.session_state[f"{key}_made"] = ((filters, name), pack)
    st.rerun()


# Presentation mode: no sidebar or toolbar, large type, and every slide within one screen (1280x720 upwards), so a
# projector never shows a scroll bar. A fixed style block; no user text ever goes into it.
PRESENTATION_CSS = """<style>
[data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"], [data-testid="stExpandSidebarButton"],
[data-testid="stHeader"], [data-testid="stToolbar"], [data-testid="stMain"] h1 { display: none; }
[data-testid="stMain"] h2 { font-size: 1.6rem; line-height: 1.2; padding: 0.1rem 0; margin: 0; }
[data-testid="stMain"] [data-testid="stHeading"] { margin: 0 0 0.3rem; }
[data-testid="stMain"] p { font-size: 1rem; }
[data-testid="stMain"] [data-testid="stCaptionContainer"] { font-size: 0.9rem; }
[data-testid="stMainBlockContainer"] { padding: 0.75rem 2rem 0.5rem; max-width: 100%; }
[data-testid="stMain"] [data-testid="stVerticalBlock"] { gap: 0.45rem; }
[data-testid="stMain"] [data-testid="stAlert"] p { font-size: 0.9rem; }
</style>"""
# Every slide fits a 1280 x 720 screen (and so anything larger): what is left for the chart once the demo notice,
# the navigation, the headline, the summary, the buttons and the source line have their room, estimated from their
# length (characters a line at their type size across a 1216-pixel column).
SCREEN_HEIGHT, FIXED_HEIGHT = 720, 232
HEADLINE_LINE, HEADLINE_CHARS = 31, 88
SUMMARY_LINE, SUMMARY_CHARS = 24, 140
SOURCE_LINE, SOURCE_CHARS = 22, 160
SLIDE_CHART_WIDTH = 1200  # about the chart's width at 1280 px, for wrapping heatmap headings


def slide_chart_height(headline: str, summary: str, footer: str) -> int:
    """The chart's height in pixels that keeps the whole slide within SCREEN_HEIGHT."""

    def lines(text: str, per_line: int) -> int:
        return max(1, -(-len(text) // per_line))

    used = (
        FIXED_HEIGHT
        + lines(headline, HEADLINE_CHARS) * HEADLINE_LINE
        + lines(summary, SUMMARY_CHARS) * SUMMARY_LINE
        + lines(footer, SOURCE_CHARS) * SOURCE_LINE
    )
    return max(SCREEN_HEIGHT - used, 240)


def presentation_figure(fig, height: int = 380):
    """The slide's chart for the page: projector type, `height` pixels, no title or source line of its own (the
    page shows both), heatmap headings wrapped to their columns so they never overlap."""
    big = charts.projector_figure(fig)
    kept, bottom = charts.annotations_without_source(big)  # the map's attribution stays under the map
    big.layout.annotations = kept  # assigned: update_layout would merge the list into the old one, item by item
    big.update_layout(title=None, height=height, margin=dict(t=30, b=bottom))
    if "yaxis2" in big.layout:  # stacked charts (a trend over its activity bars): axis titles that fit their part
        big.update_yaxes(title_font=dict(size=14), tickfont=dict(size=15))
    return charts.fit_to_box(big, SLIDE_CHART_WIDTH, height, font=18, min_font=11)


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


def slide_footer(slide: slides.Slide, showing: str) -> str:
    """The line under a slide: the filters, the source and the caveats."""
    return f"Showing: {showing}. {slide.source}" + (" " + slide.caveat if slide.caveat else "")


# A bar chart is as tall as its bars, as in the board pack (strategy/board/pack/slide_charts.py): each bar's row at
# most BAR_ROW_PX (0.75 inch at 96 pixels an inch) plus BAR_AXIS_PX for the value axis and its title, so one place
# is a bar, not a slab; with FEW_BARS or fewer, the key figures fill the room under it.
BAR_ROW_PX, BAR_AXIS_PX = 72, 120


def horizontal_bars(fig) -> int | None:
    """How many bars a horizontal bar chart draws (None for any other chart)."""
    if len(fig.data) != 1 or fig.data[0].type != "bar" or fig.data[0].orientation != "h":
        return None
    return len(fig.data[0].y if fig.data[0].y is not None else ())


def slide_chart(slide: slides.Slide, footer: str) -> None:
    """The slide's chart, as tall as one screen leaves room for (a bar chart only as tall as its bars), with its
    one-sentence summary directly under it (the alt text too); under a chart of a few bars, the key figures."""
    height = slide_chart_height(slide.headline, slide.summary, footer)
    bars = horizontal_bars(slide.figure)
    if bars == 0:  # nothing to draw (no gaps, say): the sentence alone, as the board pack says it
        st.info(plain(slide.summary), icon=":material/check_circle:")
        return
    if bars:
        height = min(height, bars * BAR_ROW_PX + BAR_AXIS_PX)
    st.plotly_chart(
        presentation_figure(slide.figure, height),
        key=f"slide_{slide.key}",
        alt=slide.summary,
        config={
            "displaylogo": False,
            "scrollZoom": False,  # the map does not zoom on the wheel
            "toImageButtonOptions": {"format": "png", "scale": 2},
        },
    )
    st.caption(plain(slide.summary))
    if bars and bars <= FEW_BARS and not slide.table.empty:
        st.dataframe(slide.table.head(8), hide_index=True)


def slide_controls(slide: slides.Slide):
    """One row under the chart: PNG and SVG of the chart, its numbers as a table, and whatever the page adds (the
    board pack buttons) in the returned container, so the whole slide stays within one screen."""
    row = st.container(horizontal=True, gap="small", vertical_alignment="center")
    missing = images.unavailable_reason()  # Chromium draws the images: say so rather than fail on the click
    figure = slide.figure
    row.download_button(
        "Download PNG",
        data=lambda: images.figure_image(figure, "png"),
        file_name=f"{slide.key}.png",
        mime="image/png",
        key=f"slide_{slide.key}_png",
        on_click="ignore",
        icon=":material/image:",
        help=missing or "The chart as a picture, for documents and slides",
        disabled=bool(missing),
    )
    row.download_button(
        "Download SVG",
        data=lambda: images.figure_image(figure, "svg"),
        file_name=f"{slide.key}.svg",
        mime="image/svg+xml",
        key=f"slide_{slide.key}_svg",
        on_click="ignore",
        icon=":material/draw:",
        help=missing or "The chart as a scalable drawing, for print",
        disabled=bool(missing),
    )
    with row.popover("Show as table", icon=":material/table:"):
        st.dataframe(slide.table, hide_index=True)
    return row
