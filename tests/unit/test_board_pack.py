"""The board pack opened as a reader would: slides, titles, the filter statement, table numbers and notes."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date

import pytest
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader

from strategy import analysis, db
from strategy.__main__ import main
from strategy.board import pack as board_pack
from strategy.board import slides
from strategy.board.pack.slide_charts import chart_kind
from strategy.board.slides.common import DEMO_CAVEAT
from strategy.filters import Filters
from strategy.framework import load_framework
from tests.conftest import DEMO_TODAY, strategy_settings


@pytest.fixture(scope="module")
def pack(install):
    """For each strategy, the pack of its last county (Making our Move: Nottinghamshire) as bytes, with the slides,
    title and framework it was made from and the county's name and districts as its framework file lists them."""
    raw = install.toml()
    county = [p for p in raw["places"] if p["level"] == "county"][-1]
    districts = [p["code"] for p in raw["places"] if p.get("parent") == county["code"]]
    filters = Filters(places=(county["code"],))
    with strategy_settings(install.framework_file, install.reference_dir):
        framework = load_framework()
        con = db.connect(install.demo_db, read_only=True)
        built = slides.board_slides(con, framework, filters, today=DEMO_TODAY)
        title = board_pack.pack_title(con, framework, filters, today=DEMO_TODAY)
        pptx = board_pack.pptx_bytes(built, title)
    yield {
        "con": con,
        "slides": built,
        "title": title,
        "pptx": pptx,
        "deck": Presentation(io.BytesIO(pptx)),
        "framework": framework,
        "filters": filters,
        "county": county["name"],
        "districts": districts,
        "strategy": install.name,
    }
    con.close()


def _table(slide) -> list[list[str]]:
    shape = next(s for s in slide.shapes if s.has_table)
    return [[cell.text for cell in row.cells] for row in shape.table.rows]


def _texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def _titles(deck) -> list[str]:
    return [s.shapes.title.text for s in deck.slides]


def _view_slide(pack, slide):
    """The deck's slide for a view: the one titled with its headline."""
    return next(s for s in pack["deck"].slides if s.shapes.title.text == slide.headline)


def _key_figures(pack, key: str):
    slide = next(s for s in pack["slides"] if s.key == key)
    return next(s for s in pack["deck"].slides if s.shapes.title.text == f"Key figures: {slide.name}")


@pytest.mark.slow
def test_a_title_slide_then_every_view_in_order_then_the_key_figures(pack):
    # Nottinghamshire's 7 districts: 6 on the Trends slide, the seventh on one appendix slide
    appendix = (len(pack["districts"]) - 1) // 6  # the Trends slide draws six places; the rest follow
    assert len(pack["slides"]) == (
        len(slides.SLIDE_BUILDERS) - len(slides.APPENDIX_BUILDERS) - len(slides.RECORDED_BUILDERS) + appendix
    )
    titles = _titles(pack["deck"])
    assert titles[0] == pack["title"].heading
    positions = [titles.index(s.headline) for s in pack["slides"]]
    assert positions == sorted(positions)
    continued = [t for t in titles if t.endswith("(continued)") and not t.startswith("Key figures")]
    assert {t.removesuffix(" (continued)") for t in continued} <= {s.name for s in pack["slides"]}
    appendix = [t for t in titles if t.startswith("Key figures: ")]
    assert appendix == [
        f"Key figures: {s.name}"
        for s in pack["slides"]
        if s.key not in ("experiments", "commitments") and not s.table.empty
    ]  # a list is its own key figures
    assert titles.index(appendix[0]) > max(positions)  # the appendix comes after every view
    assert len(titles) == 1 + len(pack["slides"]) + len(continued) + len(appendix)


@pytest.mark.slow  # reads a pack whose heatmaps Chromium draws
def test_title_slide_states_the_filters_and_the_data_as_of_date(pack):
    first = pack["deck"].slides[0]
    assert first.shapes.title.text == f"{pack['framework'].name}: board pack"
    text = _texts(first)
    assert f"Showing: Places: {pack['county']}." in text
    as_of = date.fromisoformat(analysis.data_coverage(pack["con"])["data_as_of"])
    assert f"Data as of {as_of.day} {as_of:%B %Y}." in text  # as GOV.UK writes dates
    assert DEMO_CAVEAT in text  # the demo database says it is demo data


@pytest.mark.slow  # reads a pack whose heatmaps Chromium draws
def test_each_view_slide_is_titled_with_its_headline(pack):
    titles = [
        t for t in _titles(pack["deck"])[1:] if not t.endswith("(continued)") and not t.startswith("Key figures: ")
    ]
    assert titles == [s.headline for s in pack["slides"]]


@pytest.mark.slow  # reads a pack whose heatmaps Chromium draws
def test_overview_table_has_the_dashboard_totals(pack):
    totals = analysis.headline_totals(pack["con"], pack["framework"], pack["filters"])
    rows = dict(_table(_key_figures(pack, "overview"))[1:])
    assert rows["Activities"] == f"{totals['activities']:,}"
    assert rows["Partners"] == f"{totals['partners']:,}"
    assert rows["Places reached"] == str(totals["places_reached"])
    assert rows["Investment (£)"] == f"{round(totals['investment']):,}"
    assert int(rows["Activities"].replace(",", "")) > 0


@pytest.mark.slow  # reads a pack whose heatmaps Chromium draws
def test_aims_table_counts_each_aims_activities(pack):
    """Checked another way: filtering the pack's place by one aim gives that aim's count as the total."""
    framework = pack["framework"]
    rows = _table(_key_figures(pack, "aims_ways"))
    assert rows[0] == ["Aim", "Activities", "Share of total (%)"]
    for aim, row in zip(framework.aims, rows[1:]):
        alone = analysis.headline_totals(
            pack["con"], framework, Filters(places=pack["filters"].places, aims=(aim.code,))
        )
        assert row[0] == aim.short
        assert row[1] == f"{alone['activities']:,}"


@pytest.mark.slow  # reads a pack whose heatmaps Chromium draws
def test_view_slides_carry_chart_alt_text_footer_and_notes(pack):
    for slide in pack["slides"]:
        deck_slide = _view_slide(pack, slide)
        kind = chart_kind(slide)
        if kind == "picture":
            picture = next(s for s in deck_slide.shapes if s.shape_type == 13)
            assert picture._element.nvPicPr.cNvPr.get("descr") == slide.summary
            assert picture.image.size[0] >= 2000  # high resolution: 2x the chart's size
        elif kind in ("bar", "line") and len(slide.figure.data[0].x):  # a chart with something to draw
            chart = next(s for s in deck_slide.shapes if s.has_chart)
            assert chart._element.nvGraphicFramePr.cNvPr.get("descr") == slide.summary
        assert slide.source in _texts(deck_slide)
        notes = deck_slide.notes_slide.notes_text_frame.text
        assert notes.startswith(slide.summary)
        assert "Key figures:" in notes


@pytest.mark.slow
def test_pdf_has_the_same_slides_and_words(pack):
    pdf = PdfReader(io.BytesIO(board_pack.pdf_from_pptx(pack["pptx"])))
    assert len(pdf.pages) == len(pack["deck"].slides)
    assert f"Showing: Places: {pack['county']}." in pdf.pages[0].extract_text()
    second = " ".join(pdf.pages[1].extract_text().split())
    assert pack["slides"][0].headline in second


@pytest.mark.slow  # reads a pack whose heatmaps Chromium draws
def test_a_template_supplies_layouts_and_its_sample_slides_are_dropped(pack, tmp_path):
    template = Presentation()  # 4:3, unlike the default 16:9 pack
    sample = template.slides.add_slide(template.slide_layouts[1])
    sample.shapes.title.text = "Partnership sample slide"
    path = tmp_path / "brand.pptx"
    template.save(path)
    deck = Presentation(io.BytesIO(board_pack.pptx_bytes(pack["slides"][:2], pack["title"], template=path)))
    # the title, the overview's tiles, the alignment heatmap, and the two views' key figures
    assert _titles(deck) == [
        pack["title"].heading,
        pack["slides"][0].headline,
        pack["slides"][1].headline,
        "Key figures: Overview",
        "Key figures: Alignment",
    ]
    assert deck.slide_width == Emu(9_144_000)
    for slide in deck.slides:  # laid out for the template's own (narrower) slide
        for shape in slide.shapes:
            assert shape.left >= 0 and shape.left + shape.width <= deck.slide_width
            assert shape.top >= 0 and shape.top + shape.height <= deck.slide_height
    assert "Partnership sample slide" not in [s.shapes.title.text for s in deck.slides]


@pytest.mark.slow  # reads a pack whose heatmaps Chromium draws
def test_a_file_that_is_not_a_presentation_is_refused_as_a_template(pack, tmp_path):
    bad = tmp_path / "brand.pptx"
    bad.write_text("not a presentation")
    with pytest.raises(board_pack.BoardPackError, match="brand.pptx is not a PowerPoint file"):
        board_pack.pptx_bytes(pack["slides"][:1], pack["title"], template=bad)


@pytest.mark.slow
def test_an_empty_database_gives_a_pack_that_says_there_is_no_data(empty_con, framework):
    built = slides.board_slides(empty_con, framework, Filters(), today=date(2026, 6, 30))
    deck = Presentation(
        io.BytesIO(board_pack.pptx_bytes(built, board_pack.pack_title(empty_con, framework, Filters())))
    )
    assert deck.slides[1].shapes.title.text == "No activities match these filters"
    assert {s.headline for s in built} <= set(_titles(deck))


def test_format_cell_reads_like_the_dashboard():
    assert board_pack.format_cell(1512) == "1,512"
    assert board_pack.format_cell(12.0) == "12"
    assert board_pack.format_cell(3.14159) == "3.1"
    assert board_pack.format_cell(float("nan")) == ""
    assert board_pack.format_cell("Mansfield") == "Mansfield"


@pytest.mark.slow
def test_command_writes_a_pptx_for_the_filters(demo_db_copy, tmp_path, capsys):
    target = tmp_path / "pack.pptx"
    assert main(["--db", str(demo_db_copy), "board-pack", str(target), "--place", "Mansfield", "--aim", "A3"]) == 0
    deck = Presentation(target)
    showing = "Showing: Places: Mansfield; Aims: A3 Communities who experience the greatest inequality."
    assert showing in _texts(deck.slides[0])
    assert "Wrote the board pack" in capsys.readouterr().out


@pytest.mark.parametrize(
    "arguments, message",
    [
        (["pack.docx"], "must end in .pptx or .pdf"),
        (["pack.pptx", "--aim", "A9"], "--aim 'A9' is not known"),
        (["pack.pptx", "--template", "missing.pptx"], "give an existing PowerPoint file"),
    ],
)
def test_command_usage_errors_exit_2_and_write_nothing(demo_db_file, tmp_path, capsys, monkeypatch, arguments, message):
    monkeypatch.chdir(tmp_path)
    assert main(["--db", str(demo_db_file), "board-pack", *arguments]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_command_says_how_to_install_libreoffice_when_pdf_is_impossible(demo_db_copy, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name: None)
    assert main(["--db", str(demo_db_copy), "board-pack", str(tmp_path / "pack.pdf")]) == 1
    assert "apt-get install libreoffice-impress" in capsys.readouterr().err
    assert not (tmp_path / "pack.pdf").exists()


@pytest.mark.slow  # reads a pack whose heatmaps Chromium draws
def test_pack_carries_the_trend_and_the_learning_workspace(pack):
    keys = [slide.key for slide in pack["slides"]]
    if len(pack["districts"]) > 6:  # Nottinghamshire's seventh district: an appendix
        assert keys[-4:] == ["trends", "experiments", "commitments", "trends_2"]
    else:
        assert keys[-3:] == ["trends", "experiments", "commitments"]
    trend = next(slide for slide in pack["slides"] if slide.key == "trends")
    assert trend.headline.startswith("Inactive adults, 2024/25 (mid-Nov to mid-Nov):") and "England" in trend.headline
    assert pack["county"] not in trend.headline  # the county's districts are named, not the county
    commitments = next(slide for slide in pack["slides"] if slide.key == "commitments")
    assert re.search(r"\d+ past (its|their) date", commitments.headline)
