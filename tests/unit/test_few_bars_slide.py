"""A bar slide with one or a few bars (the gaps slide when the filters leave one place with gaps) reads well: each
bar stays no thicker than an inch, and the slide's body is used, by the chart sized to its bars and the view's key
figures under it, rather than left mostly empty. Measured on the PDF page as drawn, and on the PPTX."""

from __future__ import annotations

import io
import shutil
import subprocess

import numpy as np
import pandas as pd
import pytest
from PIL import Image
from pptx import Presentation

from strategy import charts
from strategy.board import pack as board_pack
from strategy.board.slides import Slide
from strategy.filters import Filters
from tests.conftest import DEMO_TODAY

BAR_COLOURS = ((0x00, 0x72, 0xB2), (0xD5, 0x5E, 0x00))  # the bars' blue and the highlight's orange
PAGE_WIDTH_INCHES = 13.333  # a widescreen slide


def gaps_like_slide(bars: int) -> Slide:
    """A view of `bars` places with gaps, drawn as the gaps slide draws it, with one key-figure row per place."""
    per_place = pd.DataFrame(
        {"place": [f"Place {n}" for n in range(bars)], "gaps": [bars - n for n in range(bars)]}
    ).sort_values("gaps", ascending=False)
    figure = charts.bar_figure(
        per_place,
        "gaps",
        "place",
        "Aims with no or thin activity, per place",
        "Source: test",
        "Aims with a gap",
        highlight=per_place.gaps > 1,
    )
    figure.update_xaxes(dtick=1)
    table = pd.DataFrame(
        {
            "Place": per_place.place.to_numpy(),
            "Aim": ["A2 Enabling children and young people"] * bars,
            "Activities": [0] * bars,
            "Inactive adults (%)": [22.8] * bars,
        }
    )
    return Slide("gaps", "Gaps", f"{bars} places have gaps", figure, table, "A bar chart of gaps.", "Source: test")


def view_page(pptx: bytes):
    return Presentation(io.BytesIO(pptx)).slides[1]  # after the title slide


@pytest.fixture
def title(demo_con, framework):
    return board_pack.pack_title(demo_con, framework, Filters(), today=DEMO_TODAY)


@pytest.mark.parametrize("bars", [1, 2, 10])
def test_a_bar_chart_on_a_slide_is_as_tall_as_its_bars_and_a_few_bars_have_their_key_figures_under_them(bars, title):
    pptx = board_pack.pptx_bytes([gaps_like_slide(bars)], title)
    page = view_page(pptx)
    inch = 914_400
    (frame,) = [shape for shape in page.shapes if shape.has_chart]
    gap_width = frame.chart.plots[0].gap_width
    # the most a bar can be: the chart's whole height shared by its bars, less the gap between bars
    thickest = frame.height / bars / (1 + gap_width / 100)
    assert thickest <= 1.3 * inch
    tables = [shape for shape in page.shapes if shape.has_table]
    if bars <= 3:
        (table,) = tables
        assert len(table.table.rows) == bars + 1  # the header and each place's row
        assert table.top >= frame.top + frame.height  # under the chart, not over it
        used = (table.top + table.height - frame.top) / Presentation(io.BytesIO(pptx)).slide_height
        assert used >= 0.4  # chart and figures together take a good part of the slide
    else:
        assert tables == []  # many bars fill the body themselves; their figures are in the appendix


def _page_picture(pdf: bytes, folder) -> np.ndarray:
    (folder / "pack.pdf").write_bytes(pdf)
    subprocess.run(
        ["pdftoppm", "-png", "-f", "2", "-l", "2", "-scale-to-x", "1280", "-scale-to-y", "-1", "pack.pdf", "page"],
        cwd=folder,
        check=True,
    )
    (picture,) = folder.glob("page*.png")
    return np.asarray(Image.open(picture).convert("RGB")).astype(int)


def _bar_pixels(picture: np.ndarray) -> np.ndarray:
    near = np.zeros(picture.shape[:2], dtype=bool)
    for colour in BAR_COLOURS:
        near |= (np.abs(picture - np.array(colour)).sum(axis=2)) < 60
    return near


def _longest_run(column: np.ndarray) -> int:
    longest = run = 0
    for value in column:
        run = run + 1 if value else 0
        longest = max(longest, run)
    return longest


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("pdftoppm"), reason="pdftoppm (poppler-utils) draws the PDF page")
@pytest.mark.parametrize("bars", [1, 2, 10])
def test_the_pdf_page_of_few_or_many_bars_keeps_bars_thin_and_leaves_no_empty_half(bars, title, tmp_path):
    try:
        board_pack.libreoffice()
    except board_pack.BoardPackError:
        pytest.skip("LibreOffice makes the PDF")
    picture = _page_picture(board_pack.pdf_from_pptx(board_pack.pptx_bytes([gaps_like_slide(bars)], title)), tmp_path)
    height, width = picture.shape[:2]
    per_inch = width / PAGE_WIDTH_INCHES
    bars_drawn = _bar_pixels(picture)
    column = int(np.argmax(bars_drawn.sum(axis=0)))  # the column crossing the most bar
    thickness = _longest_run(bars_drawn[:, column])
    assert 0.15 * per_inch <= thickness <= 1.0 * per_inch, thickness / per_inch
    # the middle of the page (between the headline and the small print) has something drawn on most of its rows
    band = picture[int(height * 0.25) : int(height * 0.85)]
    drawn_rows = (np.abs(band - 255).sum(axis=2) > 30).any(axis=1)
    assert drawn_rows.mean() >= 0.5, drawn_rows.mean()
