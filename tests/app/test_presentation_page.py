"""Presentation mode in AppTest, and the promise that the pack shows the dashboard's own numbers."""

from __future__ import annotations

import json
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from strategy import db, rounding
from strategy.board import slides
from strategy.filters import filters_from_query
from strategy.ui.text import plain
from tests.apptest import open_app
from tests.conftest import DEMO_TODAY

PRESENTATION = "pages/6_Presentation.py"
OVERVIEW = "app.py"
REFERENCE: list = []  # the reference database of the running module (see reference_db)


def _run(script: str, database, query: dict | None = None) -> AppTest:
    return open_app(script, query)


@pytest.fixture
def demo_app(app_demo_db, reference_db, monkeypatch):
    monkeypatch.setenv("STRATEGY_DB", str(app_demo_db))
    REFERENCE[:] = [reference_db]
    return app_demo_db


@pytest.fixture(scope="module")
def reference_db(demo_db_file, tmp_path_factory):
    """A copy of the demo database for computing expected slides: the page's server process holds the original."""
    copy = tmp_path_factory.mktemp("reference") / "reference.duckdb"
    shutil.copy(demo_db_file, copy)
    return copy


_EXPECTED: dict = {}  # the reference slides of each query, made once per run (the reference copy never changes)


def _expected_slides(database, query: dict) -> list[slides.Slide]:
    from strategy.framework import load_framework

    key = (str(REFERENCE[0]), json.dumps(query, sort_keys=True))
    if key not in _EXPECTED:
        framework = load_framework()
        with db.connect(REFERENCE[0], read_only=True) as con:
            filters = filters_from_query(query, framework)
            _EXPECTED[key] = slides.board_slides(con, framework, filters, today=DEMO_TODAY)
    return _EXPECTED[key]


def test_the_slide_in_the_address_is_shown_with_its_headline(demo_app):
    expected = _expected_slides(demo_app, {})
    at = _run(PRESENTATION, demo_app, {"slide": "3"})
    assert at.header[0].value == plain(expected[2].headline)
    assert any(f"Slide **3 of {len(expected)}**" in m.value for m in at.markdown)


def test_next_and_previous_move_one_slide_and_keep_the_address(demo_app):
    expected = _expected_slides(demo_app, {"aim": ["A3"]})
    at = _run(PRESENTATION, demo_app, {"aim": "A3"})
    assert at.header[0].value == plain(expected[0].headline)
    assert at.button(key="previous_slide").disabled
    at.button(key="next_slide").click().run()
    assert at.header[0].value == plain(expected[1].headline)
    assert at.query_params["slide"] == "2" and at.query_params["aim"] == "A3"
    at.button(key="previous_slide").click().run()
    assert at.header[0].value == plain(expected[0].headline)


def test_last_slide_cannot_go_further_and_a_wild_number_opens_the_nearest(demo_app):
    count = len(_expected_slides(demo_app, {}))
    at = _run(PRESENTATION, demo_app, {"slide": "99"})
    assert any(f"Slide **{count} of {count}**" in m.value for m in at.markdown)
    assert at.button(key="next_slide").disabled
    at = _run(PRESENTATION, demo_app, {"slide": "abc"})
    assert any(f"Slide **1 of {count}**" in m.value for m in at.markdown)


def test_filters_change_the_slides(demo_app):
    everywhere = _run(PRESENTATION, demo_app, {"slide": "1"}).header[0].value
    mansfield = _run(PRESENTATION, demo_app, {"slide": "1", "place": "E07000174"}).header[0].value
    assert everywhere != mansfield
    assert "reach 1 of 1 place" in mansfield  # of the places in the filter


def test_every_chart_has_summary_downloads_and_a_table(demo_app):
    at = _run(PRESENTATION, demo_app, {"slide": "2"})
    labels = [b.label for b in at.get("download_button")]
    assert "Download PNG" in labels and "Download SVG" in labels
    assert "Board pack (PowerPoint)" in [b.label for b in at.button]  # makes the pack, then offers to save it
    assert any(e.proto.popover.label == "Show as table" for e in at.get("popover"))
    expected = _expected_slides(demo_app, {})[1]
    assert plain(expected.summary) in [c.value for c in at.caption]


def test_without_chromium_the_downloads_say_why_instead_of_failing_on_click(demo_app, monkeypatch, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))
    at = _run(PRESENTATION, demo_app, {"slide": "2"})
    images = [b for b in at.get("download_button") if b.label in ("Download PNG", "Download SVG")]
    assert images and all(b.disabled and "apt-get install chromium" in b.help for b in images)
    pack = [b for b in at.button if b.label == "Board pack (PowerPoint)"]
    assert pack and pack[0].disabled
    assert any("cannot be made on this server" in c.value and "Chromium" in c.value for c in at.caption)


ALIGNMENT = "pages/1_Alignment.py"
QUERIES = [{}, {"place": "E10000024"}, {"aim": "A3", "sector": "sport"}]


def _pack_for(database, query: dict) -> dict[str, slides.Slide]:
    return {s.key: s for s in _expected_slides(database, {k: [v] for k, v in query.items()})}


@pytest.mark.parametrize("query", QUERIES)
def test_pack_heatmap_equals_the_alignment_page_heatmap(demo_app, query):
    """Same filters, same numbers: every cell of the Alignment page's heatmap against the pack's."""
    at = _run(ALIGNMENT, demo_app, query)
    page_cells = _cell_texts(json.loads(at.get("plotly_chart")[0].proto.spec)["data"])
    pack_cells = _cell_texts(_pack_for(demo_app, query)["aims_ways"].figure.to_plotly_json()["data"])
    assert page_cells == pack_cells
    assert sum(int(t.replace(",", "")) for row in page_cells for t in row if t != "none") > 0


def _cell_texts(traces: list[dict]) -> list[list[str]]:
    """The number shown in each cell: heatmaps draw empty and thin cells in layers of their own."""
    layers = [[list(row) for row in trace["text"]] for trace in traces if trace.get("type") == "heatmap"]
    return [
        [next((layer[r][c] for layer in layers if layer[r][c]), "") for c in range(len(layers[0][r]))]
        for r in range(len(layers[0]))
    ]


@pytest.mark.parametrize("query", QUERIES)
def test_pack_totals_equal_the_overview_tiles(demo_app, query):
    """Same filters, same numbers: the Overview page's tiles against the pack's overview table."""
    at = _run(OVERVIEW, demo_app, query)
    totals = dict(
        zip(_pack_for(demo_app, query)["overview"].table.Measure, _pack_for(demo_app, query)["overview"].table.Value)
    )
    tiles = {m.label: m.value for m in at.metric}
    assert tiles["Activities"] == f"{totals['Activities']:,}"
    assert tiles["Partners"] == f"{totals['Partners']:,}"
    assert tiles["Places reached"].startswith(f"{totals['Places reached']} of ")
    assert tiles["Investment"] == rounding.short_money(totals["Investment (£)"])
    assert totals["Activities"] > 0


@pytest.mark.slow  # draws the pack's heatmaps with Chromium
def test_making_the_pack_shows_its_steps_then_offers_it_named_for_the_filter_and_day(demo_app, monkeypatch):
    from strategy.board import pack as board_pack

    steps: list[str] = []
    real = board_pack.board_pack_bytes

    def recorded(*args, progress=None, **kwargs):
        def say(step):
            steps.append(step)
            progress(step)

        return real(*args, progress=say, **kwargs)

    monkeypatch.setattr(board_pack, "board_pack_bytes", recorded)
    at = _run(PRESENTATION, demo_app, {"slide": "1", "place": "E07000174"})
    at.button(key="board_pack_pptx").click().run()
    assert not at.exception, at.exception
    assert steps[0] == "Working out the figures for every view" and len(steps) >= 3
    saved = [b for b in at.get("download_button") if b.label.startswith("Save ")]
    assert [b.label for b in saved] == [f"Save board-pack_mansfield_{DEMO_TODAY.isoformat()}.pptx"]


def _place_with_gaps(demo_app) -> str:
    """A place that has gaps: the first row of the whole partnership's gaps slide."""
    from strategy.framework import load_framework

    gaps = next(s for s in _expected_slides(demo_app, {}) if s.key == "gaps")
    return next(p.code for p in load_framework().places if p.name == gaps.table.Place.iloc[0])


@pytest.mark.parametrize("one_sector", [False, True], ids=["one-place", "sport-every-place"])
def test_a_bar_slide_is_as_tall_as_its_bars_with_the_key_figures_under_a_few(demo_app, one_sector):
    query = {"sector": "sport"} if one_sector else {"place": _place_with_gaps(demo_app)}
    expected = _expected_slides(demo_app, {key: [value] for key, value in query.items()})
    number = next(n for n, s in enumerate(expected, start=1) if s.key == "gaps")
    bars = len(expected[number - 1].figure.data[0].y)
    at = _run(PRESENTATION, demo_app, {**query, "slide": str(number)})
    chart = json.loads(at.get("plotly_chart")[0].proto.spec)
    height = chart["layout"]["height"]
    # at most 72 px a bar and 120 px for the axis, whatever room the screen leaves
    assert bars and height <= bars * 72 + 120
    tables = at.dataframe  # the last is the one in "Show as table"
    if bars <= 3:
        assert bars * 72 + 120 == height < 380, "a few bars are not stretched into slabs"
        assert len(tables) == 2
        assert list(tables[0].value.Place) == list(expected[number - 1].table.Place)
    else:
        assert len(tables) == 1, "many bars fill the slide themselves"


def test_a_bar_slide_with_nothing_to_draw_says_so_in_words(demo_app):
    from strategy.framework import load_framework

    expected = None
    for place in load_framework().local_places():  # a place with no gaps at all
        slides_of_place = _expected_slides(demo_app, {"place": [place.code]})
        gaps = next(s for s in slides_of_place if s.key == "gaps")
        if not len(gaps.figure.data[0].y):
            expected, query = gaps, {"place": place.code}
            break
    assert expected is not None, "the demo has a place without gaps"
    number = next(n for n, s in enumerate(slides_of_place, start=1) if s.key == "gaps")
    at = _run(PRESENTATION, demo_app, {**query, "slide": str(number)})
    assert not at.get("plotly_chart"), "no empty chart"
    assert plain(expected.summary) in [i.value for i in at.info]
