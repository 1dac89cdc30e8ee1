"""The PowerPoint file: one slide per view (headline, chart, key figures, footer, speaker notes), the key figures
slides, and the title slide, as bytes."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Callable

from pptx import Presentation
from pptx.enum.text import PP_ALIGN

from strategy import images
from strategy.board.pack.layout import (
    IMAGE_SCALE,
    IMAGE_WIDTH,
    INK,
    MUTED,
    SUBTITLE_PT,
    TABLE_PT,
    Box,
    table_pages,
    table_row_heights,
    view_layout,
)
from strategy.board.pack.shapes import (
    add_table,
    add_tiles,
    add_title_slide,
    open_presentation,
    set_title,
    template_layout,
    text_box,
)
from strategy.board.pack.slide_charts import (
    FEW_BARS,
    INCH,
    add_bar_chart,
    add_line_chart,
    bar_chart_data,
    bar_chart_height,
    chart_kind,
    label_text,
    picture_figures,
)
from strategy.board.pack.title import PackTitle, filter_statement, format_cell
from strategy.board.slides.common import Slide, human_header


def view_footer(slide: Slide) -> str:
    return slide.source + (" " + slide.caveat if slide.caveat else "")


def _notes(page, slide: Slide, footer: str) -> None:
    notes = [slide.summary, "", "Key figures:"]
    notes += [
        "; ".join(f"{human_header(name)}: {format_cell(value)}" for name, value in zip(slide.table.columns, row))
        for row in slide.table.itertuples(index=False)
    ]
    notes += ["", footer]
    page.notes_slide.notes_text_frame.text = "\n".join(notes)


def _new_view_page(prs: Presentation, headline: str, subtitle: str, footer: str, keep_template: bool):
    layout = view_layout(prs.slide_width, prs.slide_height, headline, footer)
    page = prs.slides.add_slide(template_layout(prs, "Title Only", 5))
    set_title(page, layout.title, headline, layout.title_size, keep_template)
    if subtitle:
        text_box(
            page,
            layout.subtitle.left,
            layout.subtitle.top,
            layout.subtitle.width,
            layout.subtitle.height,
            subtitle,
            SUBTITLE_PT,
            MUTED,
            keep_template,
        )
    text_box(
        page,
        layout.footer.left,
        layout.footer.top,
        layout.footer.width,
        layout.footer.height,
        footer,
        layout.footer_size,
        MUTED,
        keep_template,
    )
    return page, layout


def _add_view_slides(prs: Presentation, slide: Slide, pictures: list[bytes] | None, keep_template: bool) -> None:
    """The view's slide: its headline, and the chart as large as the slide allows (a list runs over as many
    slides as it needs, at most TABLE_ROWS_PER_SLIDE rows each)."""
    footer = view_footer(slide)
    kind = chart_kind(slide)
    subtitle = label_text(slide.figure.layout.title.text) if kind != "table" else ""
    if kind == "table":
        probe = view_layout(prs.slide_width, prs.slide_height, slide.headline, footer)
        pieces = table_pages(slide.table, probe.body.width, probe.body.height)
        for n, piece in enumerate(pieces):
            headline = slide.headline if n == 0 else f"{slide.name} (continued)"
            page, layout = _new_view_page(prs, headline, "", footer, keep_template)
            if len(pieces) > 1:
                text_box(
                    page,
                    layout.subtitle.left,
                    layout.subtitle.top,
                    layout.subtitle.width,
                    layout.subtitle.height,
                    f"Part {n + 1} of {len(pieces)}",
                    SUBTITLE_PT,
                    MUTED,
                    keep_template,
                )
            add_table(page, piece, layout.body)
            _notes(page, slide, footer)
        return
    if kind == "picture":
        for n, image in enumerate(pictures or []):
            headline = slide.headline if n == 0 else f"{slide.name} (continued)"
            part = f" (part {n + 1} of {len(pictures)})" if len(pictures) > 1 else ""
            page, layout = _new_view_page(prs, headline, subtitle + part, footer, keep_template)
            picture = page.shapes.add_picture(
                io.BytesIO(image), layout.body.left, layout.body.top, layout.body.width, layout.body.height
            )
            picture._element.nvPicPr.cNvPr.set("descr", slide.summary)  # alt text for screen readers
            _notes(page, slide, footer)
        return
    page, layout = _new_view_page(prs, slide.headline, subtitle, footer, keep_template)
    if kind == "tiles":
        add_tiles(page, slide, layout.body, keep_template)
    elif kind == "bar" and not bar_chart_data(slide)[0]:  # nothing to draw: say so in words
        text_box(
            page,
            layout.body.left,
            layout.body.top + int(layout.body.height * 0.3),
            layout.body.width,
            int(layout.body.height * 0.4),
            slide.summary,
            24,
            INK,
            keep_template,
            align=PP_ALIGN.CENTER,
        )
    elif kind == "bar" and len(bar_chart_data(slide)[0]) <= FEW_BARS:
        _add_few_bars(page, slide, layout.body)
    elif kind == "bar":
        add_bar_chart(page, slide, layout.body)
    elif kind == "line":
        add_line_chart(page, slide, layout.body)
    _notes(page, slide, footer)


# Type sizes tried, largest first, for the key figures under a chart of a few bars.
FEW_BARS_TABLE_SIZES = (20, 18, 16, TABLE_PT)


def _add_few_bars(page, slide: Slide, body: Box) -> None:
    """A chart of a few bars (FEW_BARS or fewer), as tall as its bars, and under it the view's key figures (for the
    gaps: each gap's place and aim): as many rows as fit, in the largest type that shows that many, the two together
    in the middle of the slide's body. Rows that do not fit are left to the key figures appendix, which has them all."""
    chart_height = bar_chart_height(len(bar_chart_data(slide)[0]), body.height)
    gap = int(0.3 * INCH)
    room = body.height - chart_height - gap
    fitting = []  # (rows shown, type size, the rows, their height)
    for size in FEW_BARS_TABLE_SIZES if not slide.table.empty and room > 0 else ():
        piece = table_pages(slide.table, body.width, room, size)[0]
        header, rows = table_row_heights(piece, body.width, size)
        if header + sum(rows) <= room:
            fitting.append((len(piece), size, piece, header + sum(rows)))
    _, size, shown, table_height = max(fitting, key=lambda found: found[:2], default=(0, TABLE_PT, None, 0))
    group = chart_height + (gap + table_height if shown is not None else 0)
    top = body.top + (body.height - group) // 2
    add_bar_chart(page, slide, Box(body.left, top, body.width, chart_height))
    if shown is not None:
        add_table(page, shown, Box(body.left, top + chart_height + gap, body.width, table_height), size)


KEY_FIGURES_TITLE = "Key figures: {name}"


def _add_key_figures_slides(prs: Presentation, slide: Slide, keep_template: bool) -> None:
    """The numbers behind a chart slide, in the appendix: a native table, TABLE_ROWS_PER_SLIDE rows a slide."""
    footer = view_footer(slide)
    title = KEY_FIGURES_TITLE.format(name=slide.name)
    probe = view_layout(prs.slide_width, prs.slide_height, title, footer)
    pieces = table_pages(slide.table, probe.body.width, probe.body.height)
    for n, piece in enumerate(pieces):
        page, layout = _new_view_page(
            prs,
            title + (" (continued)" if n else ""),
            f"The figures behind the '{slide.name}' slide's headline",
            footer,
            keep_template,
        )
        add_table(page, piece, Box(layout.body.left, layout.body.top, layout.body.width, layout.body.height))
        _notes(page, slide, footer)


def has_key_figures_slide(slide: Slide) -> bool:
    """Chart views put their key figures in the appendix; a list (table view) is its own key figures."""
    return chart_kind(slide) != "table" and not slide.table.empty


def pptx_bytes(
    slides: list[Slide],
    title: PackTitle,
    template: str | Path | None = None,
    progress: Callable[[str], None] | None = None,
) -> bytes:
    """The board pack as a .pptx file's bytes: the title slide, one slide per view (a list runs over several),
    then the appendix of key figures. `progress` is told each step as it starts."""
    say = progress or (lambda step: None)
    prs = open_presentation(template)
    keep_template = template is not None
    width, height = prs.slide_width, prs.slide_height
    drawn = [s for s in slides if chart_kind(s) == "picture"]
    parts = [picture_figures(s, view_layout(width, height, s.headline, view_footer(s)).body) for s in drawn]
    figures = [figure for found in parts for figure in found]
    say(f"Drawing {len(figures)} chart image{'s' if len(figures) != 1 else ''}")
    made = iter(images.figure_images(figures, "png", width=IMAGE_WIDTH, height=None, scale=IMAGE_SCALE))
    pictures = {id(s): [next(made) for _ in found] for s, found in zip(drawn, parts)}
    say("Laying out the slides")
    add_title_slide(prs, title, len(slides), keep_template)
    for slide in slides:
        _add_view_slides(prs, slide, pictures.get(id(slide)), keep_template)
    for slide in slides:
        if has_key_figures_slide(slide):
            _add_key_figures_slides(prs, slide, keep_template)
    prs.core_properties.title = title.heading
    prs.core_properties.subject = filter_statement(title)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()
