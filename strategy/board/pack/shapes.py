"""Text on slides (python-pptx): the presentation and its template's layouts, text boxes, titles, the title slide,
native tables and the key-figure tiles."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Pt

from strategy.board.pack.layout import (
    ACCENT,
    CELL_INSET_X,
    CELL_INSET_Y,
    INK,
    TABLE_PT,
    WIDESCREEN,
    BoardPackError,
    Box,
    column_widths,
    fitting_size,
    table_row_heights,
)
from strategy.board.pack.title import PackTitle, filter_statement, format_cell
from strategy.board.slides.common import DEMO_CAVEAT, Slide, human_header
from strategy.periods import govuk_date


def open_presentation(template: str | Path | None) -> Presentation:
    if template is None:
        prs = Presentation()
        prs.slide_width, prs.slide_height = WIDESCREEN
        return prs
    try:
        prs = Presentation(str(template))
    except Exception as problem:
        raise BoardPackError(
            f"{Path(template).name} is not a PowerPoint file (.pptx) that can be opened: {problem}"
        ) from None
    # A template's own sample slides are not part of the pack: keep its layouts, masters and theme only.
    slide_ids = prs.slides._sldIdLst
    for slide_id in list(slide_ids):
        prs.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    return prs


def template_layout(prs: Presentation, name: str, fallback: int):
    for layout in prs.slide_layouts:
        if layout.name.lower() == name.lower():
            return layout
    return prs.slide_layouts[min(fallback, len(prs.slide_layouts) - 1)]


def style_text(paragraph, size: int, colour: RGBColor | None, bold: bool = False, keep_template: bool = False) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.bold = bold
        if colour is not None and not keep_template:
            run.font.color.rgb = colour


def text_box(
    slide,
    left,
    top,
    width,
    height,
    text: str,
    size: int,
    colour: RGBColor | None,
    keep_template: bool,
    bold: bool = False,
    align=None,
) -> None:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE
    for n, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.text = line
        if align is not None:
            paragraph.alignment = align
        style_text(paragraph, size, colour, bold=bold, keep_template=keep_template)


def set_title(page, box: Box, text: str, size: int, keep_template: bool) -> None:
    title = page.shapes.title
    if title is None:
        text_box(page, box.left, box.top, box.width, box.height, text, size, ACCENT, keep_template, bold=True)
        return
    title.left, title.top, title.width, title.height = box.left, box.top, box.width, box.height
    title.text = text
    title.text_frame.word_wrap = True
    title.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    title.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    for paragraph in title.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        style_text(paragraph, size, ACCENT, bold=True, keep_template=keep_template)


def add_title_slide(prs: Presentation, title: PackTitle, slide_count: int, keep_template: bool) -> None:
    """The cover: the pack's name, the strategy's vision, the filters, the dates, in large type, centred."""
    width, height = prs.slide_width, prs.slide_height
    slide = prs.slides.add_slide(template_layout(prs, "Title Slide", 0))
    margin = int(width * 0.08)
    lines = ([f"Our vision: {title.vision}"] if title.vision else []) + [
        filter_statement(title),
        f"Data as of {govuk_date(title.as_of)}. Pack made on {govuk_date(title.made_on)}.",
        f"{slide_count} views, each with its key figures, source and caveats.",
    ]
    if title.is_demo:
        lines.append(DEMO_CAVEAT)
    heading = Box(margin, int(height * 0.1), width - 2 * margin, int(height * 0.25))
    body = Box(margin, int(height * 0.4), width - 2 * margin, int(height * 0.52))
    set_title(
        slide,
        heading,
        title.heading,
        fitting_size(title.heading, (40, 36, 32, 28), heading.width, heading.height, True),
        keep_template,
    )
    slide.shapes.title.text_frame.paragraphs[0].alignment = PP_ALIGN.CENTER
    text = "\n".join(lines)
    size = fitting_size(text, (20, 18, 16, 14), body.width, body.height)
    subtitle = next((p for p in slide.placeholders if p.placeholder_format.idx == 1), None)
    if subtitle is not None:
        subtitle.left, subtitle.top, subtitle.width, subtitle.height = body.left, body.top, body.width, body.height
        subtitle.text = text
        subtitle.text_frame.word_wrap = True
        subtitle.text_frame.auto_size = MSO_AUTO_SIZE.NONE
        for paragraph in subtitle.text_frame.paragraphs:
            paragraph.alignment = PP_ALIGN.CENTER
            style_text(paragraph, size, INK, keep_template=keep_template)
    else:
        text_box(
            slide, body.left, body.top, body.width, body.height, text, size, INK, keep_template, align=PP_ALIGN.CENTER
        )
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


def add_table(slide, table: pd.DataFrame, box: Box, size: int = TABLE_PT) -> None:
    header, rows = table_row_heights(table, box.width, size)
    shape = slide.shapes.add_table(
        len(table) + 1, max(len(table.columns), 1), box.left, box.top, box.width, header + sum(rows)
    )
    grid = shape.table
    for c, column_width in enumerate(column_widths(table, box.width)):
        grid.columns[c].width = column_width
    for r, row_height in enumerate([header, *rows]):
        grid.rows[r].height = row_height
    for c, name in enumerate(table.columns):
        grid.cell(0, c).text = human_header(name)
        style_text(grid.cell(0, c).text_frame.paragraphs[0], size, None, bold=True)
    for r, values in enumerate(table.itertuples(index=False), start=1):
        for c, value in enumerate(values):
            grid.cell(r, c).text = format_cell(value)
            style_text(grid.cell(r, c).text_frame.paragraphs[0], size, None)
    for row in grid.rows:
        for cell in row.cells:
            cell.margin_left = cell.margin_right = CELL_INSET_X
            cell.margin_top = cell.margin_bottom = CELL_INSET_Y


def add_tiles(page, slide: Slide, box: Box, keep_template: bool) -> None:
    """Headline numbers as tiles in rows of three, each row centred, the value as large as fits its tile."""
    per_row = 3
    rows = [slide.tiles[i : i + per_row] for i in range(0, len(slide.tiles), per_row)]
    gap = int(box.width * 0.03)
    tile_width = int((box.width - gap * (per_row - 1)) / per_row)
    tile_height = int(min((box.height - gap * (len(rows) - 1)) / max(len(rows), 1), box.height * 0.48))
    top = box.top + int((box.height - tile_height * len(rows) - gap * (len(rows) - 1)) / 2)
    for row in rows:
        left = box.left + int((box.width - tile_width * len(row) - gap * (len(row) - 1)) / 2)
        for label, value in row:
            tile = page.shapes.add_shape(MSO_SHAPE.RECTANGLE, left, top, tile_width, tile_height)
            tile.fill.solid()
            tile.fill.fore_color.rgb = RGBColor(0xF7, 0xFB, 0xFF)
            tile.line.color.rgb = RGBColor(0xC6, 0xDB, 0xEF)
            frame = tile.text_frame
            frame.word_wrap = True
            frame.auto_size = MSO_AUTO_SIZE.NONE
            frame.vertical_anchor = MSO_ANCHOR.MIDDLE
            value_size = fitting_size(value, (44, 40, 36, 32, 28), tile_width, int(tile_height * 0.55), True)
            label_size = fitting_size(label, (20, 18, 16, 14), tile_width, int(tile_height * 0.35))
            frame.paragraphs[0].text = value
            frame.paragraphs[0].alignment = PP_ALIGN.CENTER
            style_text(frame.paragraphs[0], value_size, ACCENT, bold=True, keep_template=keep_template)
            paragraph = frame.add_paragraph()
            paragraph.text = label
            paragraph.alignment = PP_ALIGN.CENTER
            style_text(paragraph, label_size, INK, keep_template=keep_template)
            left += tile_width + gap
        top += tile_height + gap
