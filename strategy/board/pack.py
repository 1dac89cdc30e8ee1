"""The board pack: the board's slides as an editable PowerPoint file (python-pptx), and as PDF via LibreOffice.

Every view becomes one slide: the headline as the title, the chart as a high-resolution image (its summary as
alt text), the key figures as a native table, source and caveats in the footer, the summary in the speaker
notes. An optional template .pptx supplies the partnership's logo, fonts and colours through its layouts.
"""

from __future__ import annotations

import io
import math
import os
import re
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Callable

import duckdb
import numpy as np
import pandas as pd
import plotly.graph_objects as go
from pptx import Presentation
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.enum.shapes import MSO_SHAPE
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.util import Emu, Pt

from strategy import analysis, charts, db, images
from strategy.access import User, require
from strategy.board.slides import DEMO_CAVEAT, Slide, board_slides, human_header
from strategy.exports import export_file_name, write_atomically
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.periods import govuk_date

PACK_TITLE = "{strategy}: board pack"  # {strategy}: the framework's name (PackTitle.heading)
INK = RGBColor(0x26, 0x27, 0x30)
ACCENT = RGBColor(0x08, 0x30, 0x6B)
MUTED = RGBColor(0x55, 0x55, 0x55)
WIDESCREEN = (Emu(12_192_000), Emu(6_858_000))  # 13.33 x 7.5 inches
# Chart images: drawn IMAGE_WIDTH CSS pixels wide in the shape of the slide's chart box, at 2x for print and
# projectors. With projector-sized type (18-20 px) this width puts the smallest chart text at about 12 pt or more.
IMAGE_WIDTH, IMAGE_SCALE = 1050, 2
# Type sizes (points). Nothing on a slide is under MIN_TEXT_PT except the source footer (never under 9 pt).
TITLE_SIZES = (28, 26, 24, 22, 20)
SUBTITLE_PT, TABLE_PT, CHART_PT, MIN_TEXT_PT = 16, 14, 14, 12
FOOTER_SIZES, FOOTER_MIN_PT = (11, 10, 9), 9
# A table on a slide has at most this many rows; longer ones run over onto further slides.
TABLE_ROWS_PER_SLIDE = 8
PT = 12_700  # EMU per point
# average character width (regular, bold) and line pitch, as fractions of the type size (DejaVu Sans, Arial)
CHAR_WIDTH, BOLD_CHAR_WIDTH, LINE_SPACING = 0.56, 0.64, 1.2
# Heatmaps with more rows than this run over onto a second slide, so every row stays readable.
HEATMAP_ROWS_PER_SLIDE = 9
BOX_INSET_X, BOX_INSET_Y = 91_440, 45_720  # a text box's inner margins (PowerPoint's defaults)
CELL_INSET_X, CELL_INSET_Y = 91_440, 45_720
FORMATS = {
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".pdf": "application/pdf",
}


class BoardPackError(RuntimeError):
    """The pack cannot be made here; the message says what to install or change."""


@dataclass(frozen=True)
class PackTitle:
    """What the title slide states: the filters in words and the data's 'as of' date."""

    filters_text: str
    as_of: str
    is_demo: bool
    made_on: date
    vision: str = ""  # the strategy's vision, in its own words
    strategy: str = ""  # the strategy's name, from its framework file

    @property
    def heading(self) -> str:
        """The title slide's title: 'Making our Move: board pack'."""
        return PACK_TITLE.format(strategy=self.strategy or "Strategy")


def pack_title(
    con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters, today: date | None = None
) -> PackTitle:
    coverage = analysis.data_coverage(con)
    made_on = today or date.today()
    return PackTitle(
        filters.describe(framework),
        coverage.get("data_as_of") or made_on.isoformat(),
        coverage.get("dataset") == "demo",
        made_on,
        framework.vision,
        framework.name,
    )


def filter_statement(title: PackTitle) -> str:
    return f"Showing: {title.filters_text}."


def format_cell(value: object) -> str:
    """Table text: thousands separators, at most one decimal place, GOV.UK dates, blanks for missing values."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else ""
    if isinstance(value, (date, pd.Timestamp)):
        return "" if pd.isna(value) else govuk_date(value)
    number = float(value)
    if math.isnan(number):
        return ""
    return f"{int(number):,}" if number.is_integer() else f"{number:,.1f}"


def _open_presentation(template: str | Path | None) -> Presentation:
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


def _layout(prs: Presentation, name: str, fallback: int):
    for layout in prs.slide_layouts:
        if layout.name.lower() == name.lower():
            return layout
    return prs.slide_layouts[min(fallback, len(prs.slide_layouts) - 1)]


def _style(paragraph, size: int, colour: RGBColor | None, bold: bool = False, keep_template: bool = False) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.bold = bold
        if colour is not None and not keep_template:
            run.font.color.rgb = colour


def text_height(text: str, size: float, width: int, bold: bool = False) -> int:
    """The height (EMU) `text` needs at `size` points in a box `width` EMU wide, allowing for word wrap.

    An estimate on the generous side: an average character of a sans-serif face is about half its size wide,
    lines are 1.2 times the size apart, and the box's own inner margins are taken off its width."""
    usable = max(int(width) - 2 * BOX_INSET_X, PT)
    per_line = max(1, int(usable / (size * PT * (BOLD_CHAR_WIDTH if bold else CHAR_WIDTH))))
    lines = 0
    for paragraph in text.split("\n"):
        words, line = paragraph.split(), 0
        count = 1
        for word in words:
            if line and line + 1 + len(word) > per_line:
                count += 1
                line = len(word)
            else:
                line += (1 if line else 0) + len(word)
        # a word longer than a line breaks mid-word
        count += sum(max(0, math.ceil(len(word) / per_line) - 1) for word in words)
        lines += count
    return int(lines * size * PT * LINE_SPACING) + 2 * BOX_INSET_Y


def fitting_size(text: str, sizes: tuple[int, ...], width: int, height: int, bold: bool = False) -> int:
    """The largest of `sizes` at which `text` fits the box (the smallest when none does)."""
    for size in sizes:
        if text_height(text, size, width, bold) <= height:
            return size
    return sizes[-1]


def _text_box(
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
        _style(paragraph, size, colour, bold=bold, keep_template=keep_template)


@dataclass(frozen=True)
class Box:
    left: int
    top: int
    width: int
    height: int


@dataclass(frozen=True)
class ViewLayout:
    """Where a view slide's parts go: the headline, a one-line subtitle, the body (chart or table), the footer."""

    title: Box
    title_size: int
    subtitle: Box
    body: Box
    footer: Box
    footer_size: int


def view_layout(width: int, height: int, headline: str, footer: str) -> ViewLayout:
    """The layout of one view slide: the headline as large as fits two lines, the footer as large as fits its
    box (>= FOOTER_MIN_PT), and everything left between them for the chart or table."""
    margin = int(width * 0.035)
    inner = width - 2 * margin
    title = Box(margin, int(height * 0.025), inner, int(height * 0.155))
    title_size = fitting_size(headline, TITLE_SIZES, title.width, title.height, bold=True)
    footer_size = FOOTER_SIZES[-1]
    footer_height = text_height(footer, footer_size, inner)
    for size in FOOTER_SIZES:
        if text_height(footer, size, inner) <= int(height * 0.13):
            footer_size, footer_height = size, text_height(footer, size, inner)
            break
    footer_box = Box(margin, height - int(height * 0.02) - footer_height, inner, footer_height)
    subtitle = Box(margin, title.top + title.height, inner, int(SUBTITLE_PT * PT * LINE_SPACING) + 2 * BOX_INSET_Y)
    body_top = subtitle.top + subtitle.height
    body = Box(margin, body_top, inner, footer_box.top - int(height * 0.01) - body_top)
    return ViewLayout(title, title_size, subtitle, body, footer_box, footer_size)


def _set_title(page, box: Box, text: str, size: int, keep_template: bool) -> None:
    title = page.shapes.title
    if title is None:
        _text_box(page, box.left, box.top, box.width, box.height, text, size, ACCENT, keep_template, bold=True)
        return
    title.left, title.top, title.width, title.height = box.left, box.top, box.width, box.height
    title.text = text
    title.text_frame.word_wrap = True
    title.text_frame.auto_size = MSO_AUTO_SIZE.NONE
    title.text_frame.vertical_anchor = MSO_ANCHOR.MIDDLE
    for paragraph in title.text_frame.paragraphs:
        paragraph.alignment = PP_ALIGN.LEFT
        _style(paragraph, size, ACCENT, bold=True, keep_template=keep_template)


def _add_title_slide(prs: Presentation, title: PackTitle, slide_count: int, keep_template: bool) -> None:
    """The cover: the pack's name, the strategy's vision, the filters, the dates, in large type, centred."""
    width, height = prs.slide_width, prs.slide_height
    slide = prs.slides.add_slide(_layout(prs, "Title Slide", 0))
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
    _set_title(
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
            _style(paragraph, size, INK, keep_template=keep_template)
    else:
        _text_box(
            slide, body.left, body.top, body.width, body.height, text, size, INK, keep_template, align=PP_ALIGN.CENTER
        )
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


def table_row_heights(table: pd.DataFrame, width: int, size: int) -> tuple[int, list[int]]:
    """(header height, each row's height) in EMU for a table `width` EMU wide at `size` points, columns sharing
    the width in proportion to their longest word and text (so no heading breaks inside a word when avoidable)."""
    widths = column_widths(table, width)
    cells = [[human_header(c) for c in table.columns]] + [
        [format_cell(v) for v in row] for row in table.itertuples(index=False)
    ]
    heights = [
        max(
            text_height(text, size, w + 2 * BOX_INSET_X - 2 * CELL_INSET_X, bold=n == 0)
            - 2 * BOX_INSET_Y
            + 2 * CELL_INSET_Y
            for text, w in zip(row, widths)
        )
        for n, row in enumerate(cells)
    ]
    return heights[0], heights[1:]


def column_widths(table: pd.DataFrame, width: int) -> list[int]:
    """Column widths (EMU) adding to `width`: every column first gets its longest word (so no word breaks
    where that can be avoided), then the rest of the width goes to the columns with the longest text."""
    needs, wants = [], []
    for n, column in enumerate(table.columns):
        texts = [human_header(column)] + [format_cell(v) for v in table.iloc[:, n]]
        needs.append(max((len(w) for t in texts for w in t.split()), default=1) + 4)  # + the cell's margins
        wants.append(min(max((len(t) for t in texts), default=1), 60) + 2)
    if sum(needs) >= sum(wants):
        shares = needs
    else:
        spare = sum(wants) - sum(needs)
        room = max(width / (TABLE_PT * PT * CHAR_WIDTH) - sum(needs), 0)  # characters left once words fit
        shares = [need + (want - need) * min(room / spare, 1) for need, want in zip(needs, wants)]
    total = sum(shares) or 1
    widths = [int(width * share / total) for share in shares]
    widths[-1] += int(width) - sum(widths)
    return widths


def table_pages(
    table: pd.DataFrame, width: int, height: int, size: int = TABLE_PT, rows_per_page: int = TABLE_ROWS_PER_SLIDE
) -> list[pd.DataFrame]:
    """The table in slide-sized pieces: at most rows_per_page rows each, and no more than fit `height`."""
    header, rows = table_row_heights(table, width, size)
    pages, start, used = [], 0, header
    for n, row in enumerate(rows):
        if n > start and (n - start >= rows_per_page or used + row > height):
            pages.append(table.iloc[start:n])
            start, used = n, header
        used += row
    pages.append(table.iloc[start:])
    return [page.reset_index(drop=True) for page in pages]


def _add_table(slide, table: pd.DataFrame, box: Box, size: int = TABLE_PT) -> None:
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
        _style(grid.cell(0, c).text_frame.paragraphs[0], size, None, bold=True)
    for r, values in enumerate(table.itertuples(index=False), start=1):
        for c, value in enumerate(values):
            grid.cell(r, c).text = format_cell(value)
            _style(grid.cell(r, c).text_frame.paragraphs[0], size, None)
    for row in grid.rows:
        for cell in row.cells:
            cell.margin_left = cell.margin_right = CELL_INSET_X
            cell.margin_top = cell.margin_bottom = CELL_INSET_Y


def chart_kind(slide: Slide) -> str:
    """How a view is drawn on a slide: 'tiles' (headline numbers), 'table' (a list), 'bar' and 'line' (native,
    editable PowerPoint charts with their data inside) or 'picture' (heatmaps, scatter plots and maps)."""
    if slide.tiles:
        return "tiles"
    types = {trace.type for trace in slide.figure.data}
    if "table" in types:
        return "table"
    if types == {"bar"} and all(trace.orientation == "h" for trace in slide.figure.data):
        return "bar"
    # a line over periods (a trend); not a scatter plot's reference line, drawn only for its legend (x = [None])
    lines = [
        t
        for t in slide.figure.data
        if t.type == "scatter" and "lines" in (t.mode or "") and any(x is not None for x in (t.x or ()))
    ]
    points = [t for t in slide.figure.data if t.type == "scatter" and "lines" not in (t.mode or "")]
    if lines and not points and types <= {"scatter", "bar"}:
        return "line"
    return "picture"


def _plain(text: object) -> str:
    """Plotly label text as plain text: line breaks become spaces, tags go."""
    return " ".join(re.sub(r"<[^>]+>", " ", str(text or "")).split())


def _hex(colour: str) -> RGBColor | None:
    found = re.fullmatch(r"#?([0-9a-fA-F]{6})", str(colour or ""))
    return RGBColor.from_string(found.group(1).upper()) if found else None


def _chart_fonts(chart, size: int = CHART_PT) -> None:
    chart.font.size = Pt(size)
    chart.font.color.rgb = INK


def _axis_title(axis, text: str, size: int = CHART_PT) -> None:
    if not text:
        return
    axis.has_title = True
    axis.axis_title.text_frame.text = text
    _style(axis.axis_title.text_frame.paragraphs[0], size, INK)


def bar_chart_data(slide: Slide) -> tuple[list[str], list[float], list[str]]:
    """(categories, values, colours) of a horizontal bar view, in the order drawn (first at the bottom)."""
    trace = slide.figure.data[0]
    colours = (
        trace.marker.color if isinstance(trace.marker.color, (list, tuple)) else [trace.marker.color] * len(trace.y)
    )
    names = trace.hovertext if trace.hovertext is not None else trace.y  # charts.bar_figure names its bars there
    return [_plain(c) for c in names], [float(v) for v in trace.x], list(colours)


def _add_bar_chart(page, slide: Slide, box: Box) -> None:
    categories, values, colours = bar_chart_data(slide)
    # bars about an inch thick at most: a chart of two places is not two slabs
    height = min(box.height, int(len(categories) * 0.75 * 914_400 + 914_400))
    box = Box(box.left, box.top, box.width, height)
    data = CategoryChartData(number_format="#,##0")
    data.categories = categories
    data.add_series(_plain(slide.figure.layout.xaxis.title.text) or "Value", values)
    frame = page.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, box.left, box.top, box.width, box.height, data)
    frame._element.nvGraphicFramePr.cNvPr.set("descr", slide.summary)
    chart = frame.chart
    _chart_fonts(chart)
    chart.has_title = False
    chart.has_legend = False
    plot = chart.plots[0]
    plot.gap_width = 40
    plot.has_data_labels = True
    plot.data_labels.number_format, plot.data_labels.number_format_is_linked = "#,##0", False
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    plot.data_labels.font.size = Pt(CHART_PT)
    for point, colour in zip(plot.series[0].points, colours):
        rgb = _hex(colour)
        if rgb is not None:
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = rgb
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    dtick = slide.figure.layout.xaxis.dtick
    if dtick:
        chart.value_axis.major_unit = float(dtick)
    chart.value_axis.minimum_scale = 0
    chart.value_axis.maximum_scale = max(values or [0]) + (float(dtick) if dtick else 1)
    _axis_title(chart.value_axis, _plain(slide.figure.layout.xaxis.title.text))


def line_chart_data(slide: Slide) -> tuple[list[str], list[tuple[str, list[float | None]]], tuple[str, list] | None]:
    """(periods, [(line name, values)], (bar name, values) or None) of a trend view: the lines as drawn (95%
    bands left out), and the bars of activities beneath them."""
    figure = slide.figure
    axis = figure.layout.xaxis.categoryarray
    lines = [t for t in figure.data if t.type == "scatter" and "lines" in (t.mode or "") and t.showlegend is not False]
    periods = [str(p) for p in (axis if axis else lines[0].x)]

    def on_axis(trace) -> list[float | None]:
        values = dict(zip((str(x) for x in trace.x), trace.y))
        return [None if values.get(p) is None or pd.isna(values.get(p)) else float(values[p]) for p in periods]

    bars = next((t for t in figure.data if t.type == "bar"), None)
    return (
        periods,
        [(_plain(t.name), on_axis(t)) for t in lines],
        (_plain(bars.name), on_axis(bars)) if bars is not None else None,
    )


def _add_line_chart(page, slide: Slide, box: Box) -> None:
    periods, lines, bars = line_chart_data(slide)
    line_height = int(box.height * (0.68 if bars else 1))
    data = CategoryChartData(number_format="0.0")
    data.categories = periods
    for name, values in lines:
        data.add_series(name, values)
    frame = page.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, box.left, box.top, box.width, line_height, data)
    frame._element.nvGraphicFramePr.cNvPr.set("descr", slide.summary)
    chart = frame.chart
    _chart_fonts(chart)
    chart.has_title = False
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(CHART_PT)
    drawn = [
        t for t in slide.figure.data if t.type == "scatter" and "lines" in (t.mode or "") and t.showlegend is not False
    ]
    for series, trace in zip(chart.plots[0].series, drawn):
        series.smooth = False
        rgb = _hex(trace.line.color)
        if rgb is not None:
            series.format.line.color.rgb = rgb
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = rgb
        series.format.line.width = Pt(2.5)
        if trace.line.dash == "dash":
            series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    chart.value_axis.tick_labels.number_format, chart.value_axis.tick_labels.number_format_is_linked = "0", False
    _axis_title(chart.value_axis, _plain(slide.figure.layout.yaxis.title.text))
    if not bars:
        return
    name, values = bars
    data = CategoryChartData(number_format="#,##0")
    data.categories = periods
    data.add_series(name, [v if v is not None else None for v in values])
    frame = page.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, box.left, box.top + line_height, box.width, box.height - line_height, data
    )
    frame._element.nvGraphicFramePr.cNvPr.set("descr", f"{name}, per period")
    chart = frame.chart
    _chart_fonts(chart)
    chart.has_title = False
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(CHART_PT)
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.series[0].format.fill.solid()
    plot.series[0].format.fill.fore_color.rgb = RGBColor(0x99, 0x99, 0x99)
    chart.value_axis.has_major_gridlines = False
    chart.value_axis.minimum_scale = 0
    _axis_title(chart.value_axis, "Started")


def _add_tiles(page, slide: Slide, box: Box, keep_template: bool) -> None:
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
            _style(frame.paragraphs[0], value_size, ACCENT, bold=True, keep_template=keep_template)
            paragraph = frame.add_paragraph()
            paragraph.text = label
            paragraph.alignment = PP_ALIGN.CENTER
            _style(paragraph, label_size, INK, keep_template=keep_template)
            left += tile_width + gap
        top += tile_height + gap


def picture_figures(slide: Slide, box: Box) -> list[go.Figure]:
    """The view's chart drawn for slides: projector-sized type, the box's shape, no title or source line of its
    own (the slide has both), at IMAGE_WIDTH CSS pixels so its smallest type prints at about 12 pt or more. A
    heatmap of more than HEATMAP_ROWS_PER_SLIDE rows is split into parts on one colour scale, a slide each."""
    height = int(IMAGE_WIDTH * box.height / box.width)
    drawn = []
    for part in charts.heatmap_parts(slide.figure, HEATMAP_ROWS_PER_SLIDE):
        big = charts.projector_figure(part)
        kept, bottom = charts.annotations_without_source(big)  # the map's attribution stays under the map
        big.layout.annotations = kept  # assigned: update_layout would merge the list into the old one
        big.update_layout(title=None, height=height, width=IMAGE_WIDTH, margin=dict(t=50, b=bottom, l=10, r=30))
        # numbers are printed in every cell: the colour bar only repeats them, and its room goes to the headings
        big.update_traces(showscale=False, selector=dict(type="heatmap"))
        drawn.append(charts.fit_to_box(big, IMAGE_WIDTH, height, font=19, min_font=15))
    return drawn


def _view_footer(slide: Slide) -> str:
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
    page = prs.slides.add_slide(_layout(prs, "Title Only", 5))
    _set_title(page, layout.title, headline, layout.title_size, keep_template)
    if subtitle:
        _text_box(
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
    _text_box(
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
    footer = _view_footer(slide)
    kind = chart_kind(slide)
    subtitle = _plain(slide.figure.layout.title.text) if kind != "table" else ""
    if kind == "table":
        probe = view_layout(prs.slide_width, prs.slide_height, slide.headline, footer)
        pieces = table_pages(slide.table, probe.body.width, probe.body.height)
        for n, piece in enumerate(pieces):
            headline = slide.headline if n == 0 else f"{slide.name} (continued)"
            page, layout = _new_view_page(prs, headline, "", footer, keep_template)
            if len(pieces) > 1:
                _text_box(
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
            _add_table(page, piece, layout.body)
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
        _add_tiles(page, slide, layout.body, keep_template)
    elif kind == "bar" and not bar_chart_data(slide)[0]:  # nothing to draw: say so in words
        _text_box(
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
    elif kind == "bar":
        _add_bar_chart(page, slide, layout.body)
    elif kind == "line":
        _add_line_chart(page, slide, layout.body)
    _notes(page, slide, footer)


KEY_FIGURES_TITLE = "Key figures: {name}"


def _add_key_figures_slides(prs: Presentation, slide: Slide, keep_template: bool) -> None:
    """The numbers behind a chart slide, in the appendix: a native table, TABLE_ROWS_PER_SLIDE rows a slide."""
    footer = _view_footer(slide)
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
        _add_table(page, piece, Box(layout.body.left, layout.body.top, layout.body.width, layout.body.height))
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
    prs = _open_presentation(template)
    keep_template = template is not None
    width, height = prs.slide_width, prs.slide_height
    drawn = [s for s in slides if chart_kind(s) == "picture"]
    parts = [picture_figures(s, view_layout(width, height, s.headline, _view_footer(s)).body) for s in drawn]
    figures = [figure for found in parts for figure in found]
    say(f"Drawing {len(figures)} chart image{'s' if len(figures) != 1 else ''}")
    made = iter(images.figure_images(figures, "png", width=IMAGE_WIDTH, height=None, scale=IMAGE_SCALE))
    pictures = {id(s): [next(made) for _ in found] for s, found in zip(drawn, parts)}
    say("Laying out the slides")
    _add_title_slide(prs, title, len(slides), keep_template)
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


def libreoffice() -> str:
    """The LibreOffice program that converts PPTX to PDF, or BoardPackError saying how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise BoardPackError(
            "PDF board packs need LibreOffice Impress: run `bash scripts/install_system_packages.sh` "
            "as root, or `sudo apt-get install libreoffice-impress`. A .pptx pack works without it."
        )
    return found


PDF_SECONDS = float(os.environ.get("STRATEGY_LIBREOFFICE_SECONDS", 180))  # a 10-slide pack converts in ~15 s


def pdf_from_pptx(pptx: bytes, timeout: float | None = None) -> bytes:
    """The same pack as PDF, converted by LibreOffice with a private profile (safe to run alongside others).

    LibreOffice runs in its own process group, so a conversion that does not finish in time is ended with every
    process it started (ending only the first left its helpers holding the output pipes, and the wait never
    ended)."""
    program = libreoffice()
    seconds = PDF_SECONDS if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="board-pack-") as folder:
        source = Path(folder) / "board-pack.pptx"
        source.write_bytes(pptx)
        profile = Path(folder) / "profile"
        command = [
            program,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            folder,
            str(source),
        ]
        try:
            process = subprocess.Popen(
                command,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                env={**os.environ, "HOME": folder},
                start_new_session=True,
            )
        except OSError as problem:
            raise BoardPackError(
                f"LibreOffice ({program}) could not be started: {problem}. A .pptx pack works without it."
            ) from None
        try:
            output, _ = process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            _end_process_group(process)
            raise BoardPackError(
                f"LibreOffice did not finish converting the pack to PDF within {seconds:g} seconds, "
                "so it was stopped. Try again, or make a .pptx pack."
            ) from None
        if process.returncode != 0:
            said = output.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
            raise BoardPackError(
                f"LibreOffice could not convert the pack to PDF (exit status {process.returncode}: "
                f"{said[0][:300]}). Try again, or make a .pptx pack."
            )
        target = source.with_suffix(".pdf")
        if not target.exists():
            raise BoardPackError("LibreOffice finished but wrote no PDF; try again, or make a .pptx pack.")
        return target.read_bytes()


def _end_process_group(process: subprocess.Popen) -> None:
    """Stop a process and everything it started (its own session), then collect it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (AttributeError, ProcessLookupError, PermissionError):
        process.kill()
    try:
        process.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def board_pack_bytes(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    filters: Filters,
    file_format: str,
    template: str | Path | None = None,
    today: date | None = None,
    *,
    actor: User,
    progress: Callable[[str], None] | None = None,
) -> bytes:
    """The pack for the filters as '.pptx' or '.pdf' bytes: the one function the page and the command call.

    An export: analysts and admins only, written to the audit log (so the connection must be writable).
    `progress`, when given, is told each step as it starts (the page shows them while the pack is made)."""
    require(actor, "export")
    say = progress or (lambda step: None)
    if file_format not in FORMATS:
        raise BoardPackError(f"a board pack is {' or '.join(FORMATS)}, not {file_format!r}")
    missing = images.unavailable_reason()  # say what is missing before spending time on the slides
    if missing:
        raise BoardPackError(missing)
    if file_format == ".pdf":
        libreoffice()
    say("Working out the figures for every view")
    built = board_slides(con, framework, filters, today)
    try:
        pptx = pptx_bytes(built, pack_title(con, framework, filters, today), template, progress=say)
    except images.ImageExportUnavailable as problem:
        raise BoardPackError(str(problem)) from None
    if file_format == ".pdf":
        say("Converting to PDF")
    pack = pptx if file_format == ".pptx" else pdf_from_pptx(pptx)
    with db.transaction(con) as cursor:
        db.audit(
            cursor, actor, "export board pack", f"{file_format.lstrip('.')}; filters: {filters.describe(framework)}"
        )
    return pack


def pack_file_name(filters: Filters, framework: Framework, file_format: str, made_on: date | None = None) -> str:
    """The pack's file name: what it shows and when it was made, 'board-pack_mansfield_2026-11-29.pdf'."""
    return export_file_name("board-pack", filters, framework, file_format.lstrip("."), made_on)


def write_board_pack(target: str | Path, pack: bytes) -> None:
    """Write the pack whole or not at all (a failed write never leaves half a pack)."""
    write_atomically(target, pack)
