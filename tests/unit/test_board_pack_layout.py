"""The board pack as the room sees it: every shape of every slide readable and on the slide, short tables, human
headings and dates, and bar and line charts that officers can edit (native charts holding the figures)."""

from __future__ import annotations

import io
import re
from collections import Counter

import pytest
from pptx import Presentation
from pptx.util import Pt

from strategy import analysis, db, periods
from strategy.board import pack as board_pack
from strategy.board import slides
from strategy.board.slides.trends import HEADLINE_TREND_INDICATOR
from strategy.filters import Filters
from tests.conftest import DEMO_TODAY

DERBYSHIRE = Filters(places=("E10000007",))  # a county: its eight districts, Bolsover's gap among them
SNAKE_CASE = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")


FILTERS = {"derbyshire": DERBYSHIRE, "everywhere": Filters()}  # the second has the learning workspace's lists
_PACKS: dict = {}


@pytest.fixture(scope="module")
def demo(demo_db_file):
    con = db.connect(demo_db_file, read_only=True)
    yield con
    con.close()


def _pack(con, framework, name: str) -> dict:
    if name not in _PACKS:
        built = slides.board_slides(con, framework, FILTERS[name], today=DEMO_TODAY)
        title = board_pack.pack_title(con, framework, FILTERS[name], today=DEMO_TODAY)
        _PACKS[name] = {
            "con": con,
            "slides": built,
            "deck": Presentation(io.BytesIO(board_pack.pptx_bytes(built, title))),
        }
    return _PACKS[name]


@pytest.fixture(params=list(FILTERS))
def any_pack(request, demo, framework):
    return _pack(demo, framework, request.param)


@pytest.fixture
def pack(demo, framework):
    return _pack(demo, framework, "derbyshire")


def _runs(shape):
    """(run, is_footer) for every run of text a shape shows: text boxes, placeholders and table cells."""
    frames = []
    if shape.has_text_frame:
        frames.append(shape.text_frame)
    if shape.has_table:
        frames += [cell.text_frame for row in shape.table.rows for cell in row.cells]
    footer = shape.has_text_frame and shape.text_frame.text.startswith("Source:")
    return [(run, footer) for frame in frames for paragraph in frame.paragraphs for run in paragraph.runs]


def _all_text(slide) -> str:
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [cell.text for row in shape.table.rows for cell in row.cells]
        if shape.has_chart:
            chart = shape.chart
            parts += [str(c) for c in chart.plots[0].categories] + [s.name for p in chart.plots for s in p.series]
    return "\n".join(parts)


@pytest.mark.slow
def test_every_run_of_text_is_large_enough_to_read_from_the_back_of_the_room(any_pack):
    for number, slide in enumerate(any_pack["deck"].slides, start=1):
        for shape in slide.shapes:
            for run, footer in _runs(shape):
                if not run.text.strip():
                    continue
                least = 9 if footer else 12
                assert run.font.size is not None and run.font.size >= Pt(least), (
                    f"slide {number}: {run.text[:40]!r} is {run.font.size and run.font.size.pt} pt, under {least} pt"
                )
            if shape.has_chart:
                assert shape.chart.font.size >= Pt(12), f"slide {number}: chart type under 12 pt"


@pytest.mark.slow  # reads a pack whose heatmaps Chromium draws
def test_every_shape_is_inside_the_slide(any_pack):
    deck = any_pack["deck"]
    for number, slide in enumerate(deck.slides, start=1):
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.top >= 0, f"slide {number}: {shape.name} starts off the slide"
            assert shape.left + shape.width <= deck.slide_width, f"slide {number}: {shape.name} runs off the right"
            assert shape.top + shape.height <= deck.slide_height, f"slide {number}: {shape.name} runs off the bottom"


@pytest.mark.slow  # reads a pack whose heatmaps Chromium draws
def test_tables_are_short_with_human_headings_and_dates(any_pack):
    tables = 0
    for number, slide in enumerate(any_pack["deck"].slides, start=1):
        for shape in slide.shapes:
            if not shape.has_table:
                continue
            tables += 1
            rows = list(shape.table.rows)
            assert len(rows) - 1 <= 8, f"slide {number}: a table of {len(rows) - 1} rows"
            headings = [cell.text for cell in rows[0].cells]
            assert not [h for h in headings if SNAKE_CASE.search(h)], f"slide {number}: {headings}"
        text = _all_text(slide) + slide.notes_slide.notes_text_frame.text
        assert "00:00:00" not in text, f"slide {number} shows a time of day on a date"
        assert not re.search(r"\b\d{4}-\d{2}-\d{2}\b", _all_text(slide)), f"slide {number}: an ISO date"
    assert tables >= 3  # the learning lists and the key figures appendix


def test_a_list_longer_than_a_slide_runs_over_and_keeps_every_row(demo, framework):
    """Twenty experiments: three slides (8, 8 and 4 rows), every row once, in order."""
    import pandas as pd

    from strategy import charts

    register = pd.DataFrame(
        {"title": [f"Experiment {n}" for n in range(1, 21)], "review_date": pd.to_datetime(["2026-11-29"] * 20)}
    )
    slide = slides.Slide(
        "experiments",
        "Safe-to-fail experiments",
        "20 safe-to-fail experiments",
        charts.table_figure(register, "Safe-to-fail experiments", "Source: test"),
        register,
        "20 experiments",
        "Source: test",
    )
    deck = Presentation(io.BytesIO(board_pack.pptx_bytes([slide], board_pack.pack_title(demo, framework, Filters()))))
    pages = list(deck.slides)[1:]
    assert [s.shapes.title.text for s in pages] == ["20 safe-to-fail experiments"] + [
        "Safe-to-fail experiments (continued)"
    ] * 2
    rows = [list(next(s for s in page.shapes if s.has_table).table.rows) for page in pages]
    assert [len(r) - 1 for r in rows] == [8, 8, 4]
    assert [row.cells[0].text for r in rows for row in r[1:]] == list(register.title)
    assert {r[0].cells[1].text for r in rows} == {"Review date"}
    assert {row.cells[1].text for r in rows for row in r[1:]} == {"29 November 2026"}


@pytest.mark.slow  # reads a pack whose heatmaps Chromium draws
def test_the_gaps_bar_chart_is_a_native_chart_holding_each_places_gaps(pack, framework):
    gaps_slide = next(s for s in pack["slides"] if s.key == "gaps")
    deck_slide = next(s for s in pack["deck"].slides if s.shapes.title.text == gaps_slide.headline)
    chart = next(s for s in deck_slide.shapes if s.has_chart).chart
    assert chart.chart_type == 57  # XL_CHART_TYPE.BAR_CLUSTERED
    year = analysis.gap_year(DERBYSHIRE, DEMO_TODAY)
    gaps = analysis.gaps(pack["con"], framework, DERBYSHIRE, year=year)
    expected = Counter(gaps.place)  # one row per place and aim with a gap
    shown = dict(zip(chart.plots[0].categories, chart.plots[0].series[0].values))
    assert shown == {place: float(count) for place, count in expected.items()}
    assert sum(shown.values()) > 0


@pytest.mark.slow  # reads a pack whose heatmaps Chromium draws
def test_the_trend_line_chart_is_a_native_chart_holding_the_published_values(pack, framework):
    trend = next(s for s in pack["slides"] if s.key == "trends")
    deck_slide = next(s for s in pack["deck"].slides if s.shapes.title.text == trend.headline)
    line = next(s.chart for s in deck_slide.shapes if s.has_chart and s.chart.chart_type == 65)  # LINE_MARKERS
    periods = list(line.plots[0].categories)
    names = {
        framework.place(code).name: code for code in (*DERBYSHIRE.local_places(framework)[:6], framework.benchmark)
    }
    series = {s.name: list(s.values) for s in line.plots[0].series}
    assert set(series) == set(names)
    for name, values in series.items():
        stored = dict(
            pack["con"]
            .execute(
                "SELECT period, value FROM indicator_values WHERE indicator_id = ? AND place_code = ?",
                [HEADLINE_TREND_INDICATOR, names[name]],
            )
            .fetchall()
        )
        for period, value in zip(periods, values):
            if stored.get(period) is None:
                assert value is None, f"{name} {period}: a missing value drawn as {value}"
            else:
                assert value == pytest.approx(stored[period]), f"{name} {period}"


@pytest.mark.slow  # reads a pack whose heatmaps Chromium draws
def test_heatmaps_stay_pictures_with_their_key_figures_in_the_appendix(pack):
    aims = next(s for s in pack["slides"] if s.key == "aims_ways")
    deck = list(pack["deck"].slides)
    chart_slide = next(s for s in deck if s.shapes.title.text == aims.headline)
    assert any(s.shape_type == 13 for s in chart_slide.shapes)  # a picture
    assert not any(s.has_table for s in chart_slide.shapes)  # one message: the chart, large
    appendix = next(s for s in deck if s.shapes.title.text == f"Key figures: {aims.name}")
    table = next(s for s in appendix.shapes if s.has_table).table
    assert [c.text for c in list(table.rows)[0].cells] == list(aims.table.columns)


def test_pack_file_name_carries_the_filter_and_the_day(framework):
    assert (
        board_pack.pack_file_name(Filters(places=("E07000174",)), framework, ".pdf", DEMO_TODAY)
        == f"board-pack_mansfield_{DEMO_TODAY.isoformat()}.pdf"
    )
    assert (
        board_pack.pack_file_name(Filters(), framework, ".pptx", DEMO_TODAY)
        == f"board-pack_all_{DEMO_TODAY.isoformat()}.pptx"
    )


def test_dates_read_as_govuk_writes_them():
    from datetime import date

    assert periods.govuk_date(date(2026, 11, 29)) == "29 November 2026"
    assert periods.govuk_date("2026-06-05") == "5 June 2026"
    assert board_pack.format_cell(__import__("pandas").Timestamp("2026-06-10")) == "10 June 2026"
    assert slides.human_header("lead_partner") == "Lead partner"
    assert slides.human_header("Share of total (%)") == "Share of total (%)"
