"""The pack's measures: slide and type sizes, the formats a pack comes in and the error it raises, how much text
fits a box, where a view's title, body and footer go, and how a long table runs over onto further slides."""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from pptx.dml.color import RGBColor
from pptx.util import Emu

from strategy.board.pack.title import format_cell
from strategy.board.slides.common import human_header

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
