"""The board pack opened as a reader would: slides, titles, the filter statement, table numbers and notes."""

from __future__ import annotations

import io
from datetime import date

import pytest
from pptx import Presentation
from pptx.util import Emu
from pypdf import PdfReader

from strategy import analysis, board_pack, db, slides
from strategy.__main__ import main
from strategy.filters import Filters
from tests.conftest import DEMO_TODAY

NOTTS = Filters(places=("E10000024",))  # Nottinghamshire: a county stands for its districts


@pytest.fixture(scope="module")
def pack(demo_db_file, framework):
    """The Nottinghamshire pack as bytes, with the slides and title it was made from."""
    con = db.connect(demo_db_file, read_only=True)
    built = slides.board_slides(con, framework, NOTTS, today=DEMO_TODAY)
    title = board_pack.pack_title(con, framework, NOTTS, today=DEMO_TODAY)
    pptx = board_pack.pptx_bytes(built, title)
    yield {"con": con, "slides": built, "title": title, "pptx": pptx, "deck": Presentation(io.BytesIO(pptx))}
    con.close()


def _table(slide) -> list[list[str]]:
    shape = next(s for s in slide.shapes if s.has_table)
    return [[cell.text for cell in row.cells] for row in shape.table.rows]


def _texts(slide) -> str:
    return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def test_one_title_slide_then_one_slide_per_view(pack):
    # Nottinghamshire's 7 districts: 6 on the Trends slide, the seventh on one appendix slide
    assert len(pack["deck"].slides) == 1 + len(pack["slides"]) == \
        1 + len(slides.SLIDE_BUILDERS) - len(slides.APPENDIX_BUILDERS) - len(slides.RECORDED_BUILDERS) + 1


def test_title_slide_states_the_filters_and_the_data_as_of_date(pack, demo_con):
    first = pack["deck"].slides[0]
    assert first.shapes.title.text == board_pack.PACK_TITLE
    text = _texts(first)
    assert "Showing: Places: Nottinghamshire." in text
    assert f"Data as of {analysis.data_coverage(demo_con)['data_as_of']}." in text
    assert board_pack.DEMO_CAVEAT in text  # the demo database says it is demo data


def test_each_view_slide_is_titled_with_its_headline(pack):
    titles = [s.shapes.title.text for s in list(pack["deck"].slides)[1:]]
    assert titles == [s.headline for s in pack["slides"]]


def test_overview_table_has_the_dashboard_totals(pack, framework):
    totals = analysis.headline_totals(pack["con"], framework, NOTTS)
    rows = dict(_table(pack["deck"].slides[1])[1:])
    assert rows["Activities"] == f"{totals['activities']:,}"
    assert rows["Partners"] == f"{totals['partners']:,}"
    assert rows["Places reached"] == str(totals["places_reached"])
    assert rows["Investment (£)"] == f"{round(totals['investment']):,}"
    assert int(rows["Activities"].replace(",", "")) > 0


def test_aims_table_counts_each_aims_activities(pack, framework):
    """Checked another way: filtering the pack's place by one aim gives that aim's count as the total."""
    position = [s.key for s in pack["slides"]].index("aims_ways")
    rows = _table(pack["deck"].slides[1 + position])
    assert rows[0] == ["Aim", "Activities", "Share of total (%)"]
    for aim, row in zip(framework.aims, rows[1:]):
        alone = analysis.headline_totals(pack["con"], framework, Filters(places=NOTTS.places, aims=(aim.code,)))
        assert row[0] == aim.short
        assert row[1] == f"{alone['activities']:,}"


def test_view_slides_carry_chart_alt_text_footer_and_notes(pack):
    for deck_slide, slide in zip(list(pack["deck"].slides)[1:], pack["slides"]):
        picture = next(s for s in deck_slide.shapes if s.shape_type == 13)  # a picture
        assert picture._element.nvPicPr.cNvPr.get("descr") == slide.summary
        assert picture.image.size[0] >= 2000  # high resolution: 2.5x the chart's size
        assert slide.source in _texts(deck_slide)
        notes = deck_slide.notes_slide.notes_text_frame.text
        assert notes.startswith(slide.summary)
        assert "Key figures:" in notes


def test_pdf_has_the_same_slides_and_words(pack):
    pdf = PdfReader(io.BytesIO(board_pack.pdf_from_pptx(pack["pptx"])))
    assert len(pdf.pages) == len(pack["deck"].slides)
    assert "Showing: Places: Nottinghamshire." in pdf.pages[0].extract_text()
    second = " ".join(pdf.pages[1].extract_text().split())
    assert pack["slides"][0].headline in second


def test_a_template_supplies_layouts_and_its_sample_slides_are_dropped(pack, tmp_path):
    template = Presentation()  # 4:3, unlike the default 16:9 pack
    sample = template.slides.add_slide(template.slide_layouts[1])
    sample.shapes.title.text = "Partnership sample slide"
    path = tmp_path / "brand.pptx"
    template.save(path)
    deck = Presentation(io.BytesIO(board_pack.pptx_bytes(pack["slides"][:2], pack["title"], template=path)))
    assert len(deck.slides) == 3
    assert deck.slide_width == Emu(9_144_000)
    assert "Partnership sample slide" not in [s.shapes.title.text for s in deck.slides]


def test_a_file_that_is_not_a_presentation_is_refused_as_a_template(pack, tmp_path):
    bad = tmp_path / "brand.pptx"
    bad.write_text("not a presentation")
    with pytest.raises(board_pack.BoardPackError, match="brand.pptx is not a PowerPoint file"):
        board_pack.pptx_bytes(pack["slides"][:1], pack["title"], template=bad)


def test_an_empty_database_gives_a_pack_that_says_there_is_no_data(empty_con, framework):
    built = slides.board_slides(empty_con, framework, Filters(), today=date(2026, 6, 30))
    deck = Presentation(io.BytesIO(board_pack.pptx_bytes(built, board_pack.pack_title(empty_con, framework,
                                                                                         Filters()))))
    assert len(deck.slides) == 1 + len(built)
    assert deck.slides[1].shapes.title.text == "No activities match these filters"


def test_format_cell_reads_like_the_dashboard():
    assert board_pack.format_cell(1512) == "1,512"
    assert board_pack.format_cell(12.0) == "12"
    assert board_pack.format_cell(3.14159) == "3.1"
    assert board_pack.format_cell(float("nan")) == ""
    assert board_pack.format_cell("Mansfield") == "Mansfield"


def test_command_writes_a_pptx_for_the_filters(demo_db_copy, tmp_path, capsys):
    target = tmp_path / "pack.pptx"
    assert main(["--db", str(demo_db_copy), "board-pack", str(target), "--place", "Mansfield", "--aim", "A3"]) == 0
    deck = Presentation(target)
    assert "Showing: Places: Mansfield; Aims: A3 Communities who experience the greatest inequality." in _texts(deck.slides[0])
    assert "Wrote the board pack" in capsys.readouterr().out


@pytest.mark.parametrize("arguments, message", [
    (["pack.docx"], "must end in .pptx or .pdf"),
    (["pack.pptx", "--aim", "A9"], "--aim 'A9' is not known"),
    (["pack.pptx", "--template", "missing.pptx"], "give an existing PowerPoint file"),
])
def test_command_usage_errors_exit_2_and_write_nothing(demo_db_file, tmp_path, capsys, monkeypatch, arguments,
                                                        message):
    monkeypatch.chdir(tmp_path)
    assert main(["--db", str(demo_db_file), "board-pack", *arguments]) == 2
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_command_says_how_to_install_libreoffice_when_pdf_is_impossible(demo_db_copy, tmp_path, capsys,
                                                                        monkeypatch):
    monkeypatch.setattr(board_pack.shutil, "which", lambda name: None)
    assert main(["--db", str(demo_db_copy), "board-pack", str(tmp_path / "pack.pdf")]) == 1
    assert "apt-get install libreoffice-impress" in capsys.readouterr().err
    assert not (tmp_path / "pack.pdf").exists()


def test_pack_carries_the_trend_and_the_learning_workspace(pack):
    keys = [slide.key for slide in pack["slides"]]
    assert keys[-4:] == ["trends", "experiments", "commitments", "trends_2"]  # the seventh district: an appendix
    trend = next(slide for slide in pack["slides"] if slide.key == "trends")
    assert trend.headline.startswith("Inactive adults, 2024/25:") and "England" in trend.headline
    commitments = next(slide for slide in pack["slides"] if slide.key == "commitments")
    assert "past its date" in commitments.headline
