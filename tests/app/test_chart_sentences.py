"""One place writes every chart sentence: the sentence under a chart on Coverage and gaps and on Places is the
board pack's for the same chart and view, and says what the chart shows, worked out here from the data."""

from __future__ import annotations

from strategy import analysis
from strategy.board import slides
from strategy.filters import Filters
from strategy.ui.text import plain
from tests.conftest import DEMO_TODAY


def test_need_against_effort_says_the_pack_s_sentence(open_page, app_demo_db, demo_con, framework):
    app = open_page("pages/2_Coverage_and_gaps.py", app_demo_db)
    context = slides.PackContext(demo_con, framework, Filters(), analysis.data_coverage(demo_con), DEMO_TODAY)
    pack = slides.need_effort_slide(context).summary
    captions = [c.value for c in app.caption if c.value.startswith(plain("A scatter chart"))]
    assert captions == [plain(pack) + " Click a place to narrow the page to it."]

    table = analysis.need_vs_effort(demo_con, framework, Filters())
    flagged = table[analysis.high_need_low_effort(table, "investment_per_head")].place_name.tolist()
    assert pack.startswith(f"A scatter chart of {len(table)} places: adults inactive (%) across")
    assert (f"{len(flagged)} marked as high need, low effort" if flagged else "none marked") in pack
    assert all(name in pack for name in flagged)


def test_the_map_says_the_pack_s_sentence(open_page, app_demo_db, demo_con, framework):
    app = open_page("pages/3_Places.py", app_demo_db)
    app.selectbox(key="map_measure").set_value("activities_per_100k").run()
    context = slides.PackContext(demo_con, framework, Filters(), analysis.data_coverage(demo_con), DEMO_TODAY)
    pack = slides.place_map_slide(context).summary
    captions = [c.value for c in app.caption if c.value.startswith(plain("A map of"))]
    assert captions == [plain(pack) + " Click an area to narrow the page to it."]

    table = analysis.need_vs_effort(demo_con, framework, Filters())
    per_100k = table.activities / table.population * 100_000
    assert f"Highest: {table.place_name[per_100k.idxmax()]} (" in pack
    assert f"lowest: {table.place_name[per_100k.idxmin()]} (" in pack
