"""Every page renders on the demo database and on an empty one, and the filters change what it shows."""

import json
import tomllib

import pytest

from tests.app.conftest import PAGES
from tests.app.test_about_pages import FOOTER, sidebar_links


# Every strategy (tests/conftest.py STRATEGIES): the pages assume nothing of Making our Move's aims and places.
@pytest.mark.parametrize("script", PAGES)
def test_page_renders_on_demo_data_with_the_demo_banner(open_page, app_installed, script):
    install, demo, _ = app_installed
    app = open_page(script, demo)
    assert not app.exception, [e.value for e in app.exception]
    assert not app.error, [e.value for e in app.error]
    assert any("Demo data" in w.value for w in app.warning)
    name = install.toml()["strategy"]["short_name"]
    sidebar = [m.value for m in app.sidebar.markdown]
    assert any(name.replace(" ", "") in text.replace("\\", "").replace(" ", "") for text in sidebar), sidebar
    if install.name != "making-our-move":
        assert not any("Making our Move" in text for text in sidebar + [t.value for t in app.title])
    links = sidebar_links(app)  # the accessibility statement and privacy notice close every sidebar
    assert set(links[-2:]) == FOOTER, links


@pytest.mark.parametrize("script", PAGES)
def test_page_renders_on_an_empty_database(open_page, app_installed, script):
    _, _, empty = app_installed
    app = open_page(script, empty)
    assert not app.exception, [e.value for e in app.exception]
    assert not any("Demo data" in w.value for w in app.warning)


def test_overview_names_the_strategy_and_counts_its_own_aims_ways_and_places(open_page, app_installed):
    install, demo, _ = app_installed
    raw = install.toml()
    local = [p for p in raw["places"] if p["level"] in ("district", "unitary")]
    words = {4: "four", 5: "five", 6: "six"}
    app = open_page("app.py", demo)
    assert app.title[0].value == f"{raw['strategy']['name']}: overview"
    assert any(
        f"{words[len(raw['aims'])]} shared aims and {words[len(raw['ways'])]} ways of working" in c.value
        for c in app.caption
    )
    assert app.metric[2].value == f"{len(local)} of {len(local)}"
    assert any(raw["strategy"]["vision"] in m.value for m in app.markdown)
    fictional = tomllib.loads((install.reference_dir / "indicators.toml").read_text()).get("fictional", False)
    banner = next(w.value for w in app.warning if "Demo data" in w.value)
    assert ("fictional too" in banner) == fictional and ("are real" in banner) == (not fictional)


def test_alignment_heatmap_has_a_row_per_aim_and_a_column_per_way_of_the_strategy(open_page, app_installed):
    install, demo, _ = app_installed
    raw = install.toml()
    spec = json.loads(open_page("pages/1_Alignment.py", demo).get("plotly_chart")[0].proto.spec)
    rows, columns = spec["data"][0]["y"], spec["data"][0]["x"]
    assert len(rows) == len(raw["aims"]) and len(columns) == len(raw["ways"])
    assert [row.split(" ")[0] for row in rows] == [aim["code"] for aim in raw["aims"]], rows


def test_coverage_page_names_the_strategys_own_demo_gap(open_page, app_installed):
    install, demo, _ = app_installed
    gap = install.toml()["demo"]["gap"]
    app = open_page("pages/2_Coverage_and_gaps.py", demo, {"to": "2025-12-31"})
    assert any(f"No activity in {gap['place']} addresses aim {gap['aim']}" in m.value for m in app.markdown)


def heatmap_numbers(app):
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    return spec["data"][0]["text"]


def test_overview_tiles_follow_the_place_in_the_url(open_page, app_demo_db):
    everything = open_page("app.py", app_demo_db)
    mansfield = open_page("app.py", app_demo_db, {"place": "E07000174"})
    all_count = int(everything.metric[0].value.replace(",", ""))
    mansfield_count = int(mansfield.metric[0].value.replace(",", ""))
    assert 0 < mansfield_count < all_count
    assert mansfield.metric[2].value == "1 of 1"  # of the places in the filter
    derbyshire = open_page("app.py", app_demo_db, {"place": "E10000007"})
    assert derbyshire.metric[2].value == "8 of 8"  # the county's eight districts


def test_alignment_heatmap_changes_with_the_sector_filter(open_page, app_demo_db):
    app = open_page("pages/1_Alignment.py", app_demo_db)
    before = heatmap_numbers(app)
    app.multiselect(key="filter_sectors").set_value(["sport"]).run()
    assert not app.exception
    assert heatmap_numbers(app) != before
    assert app.query_params["sector"] in ("sport", ["sport"])  # AppTest keeps one value as a plain string


def test_alignment_measure_and_view_switch(open_page, app_demo_db):
    app = open_page("pages/1_Alignment.py", app_demo_db)
    app.button_group(key="alignment_measure").set_value("investment").run()
    assert any(text.startswith("£") for row in heatmap_numbers(app) for text in row if text)
    app.button_group(key="alignment_view").set_value("Places x aims").run()
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    assert "Mansfield" in spec["data"][0]["y"]


def test_alignment_drill_down_lists_the_activities_behind_the_cell(open_page, app_demo_db):
    app = open_page("pages/1_Alignment.py", app_demo_db)
    app.selectbox(key="cell_row_aim").set_value("A3").run()
    app.selectbox(key="cell_column_way").set_value("W4").run()
    table = app.dataframe[-2].value  # the last one is the cell's total row
    assert len(table) > 0
    assert table.aims.str.contains("A3").all() and table.ways.str.contains("W4").all()


def test_alignment_drill_down_adds_up_to_the_cell_with_a_place_and_a_period(
    open_page, app_demo_db, demo_con, framework
):
    from datetime import date

    from strategy import analysis
    from strategy.filters import Filters

    app = open_page(
        "pages/1_Alignment.py", app_demo_db, {"place": "E07000174", "from": "2024-01-01", "to": "2024-12-31"}
    )
    app.selectbox(key="cell_row_aim").set_value("A1").run()
    app.selectbox(key="cell_column_way").set_value("W2").run()
    assert not app.exception
    listed, total = app.dataframe[-2].value, app.dataframe[-1].value
    filters = Filters(places=("E07000174",), date_from=date(2024, 1, 1), date_to=date(2024, 12, 31))
    cell = analysis.heatmap(demo_con, framework, filters).set_index(["row_code", "column_code"]).loc[("A1", "W2")]
    assert len(listed) == cell.activities
    assert listed.investment_in_cell.sum() == pytest.approx(cell.investment)
    assert total.investment_in_cell[0] == pytest.approx(cell.investment)
    assert total.title[0] == f"Total: all {cell.activities:,} activities in this cell"
    assert listed.investment_gbp.astype(float).sum() > cell.investment  # whole amounts, beside the shares


def test_coverage_page_names_the_bolsover_gap(open_page, app_demo_db):
    app = open_page("pages/2_Coverage_and_gaps.py", app_demo_db, {"to": "2025-12-31"})
    assert any("No activity in Bolsover addresses aim A2" in m.value for m in app.markdown)


def test_places_profile_follows_the_chosen_place(open_page, app_demo_db):
    app = open_page("pages/3_Places.py", app_demo_db)
    app.selectbox(key="profile_place").set_value("E07000033").run()
    assert not app.exception
    assert any(h.value == "Bolsover" for h in app.header)


def test_overview_shows_the_strategys_vision(open_page, app_demo_db):
    overview = open_page("app.py", app_demo_db)
    assert any(
        "Together, we will address inequality and empower everyone to be active in a way that works for them" in m.value
        for m in overview.markdown
    )


@pytest.mark.parametrize(
    "setting, value, says",
    [
        ("STRATEGY_FRAMEWORK", "strategy/framwork.toml", "(set by STRATEGY_FRAMEWORK) does not exist"),
        ("STRATEGY_REFERENCE", "data/refrence", "(set by STRATEGY_REFERENCE) does not exist"),
    ],
)
def test_a_setting_with_a_typo_shows_what_to_fix_and_nothing_else(
    open_page, app_demo_db, monkeypatch, setting, value, says
):
    monkeypatch.setenv(setting, value)
    app = open_page("app.py", app_demo_db)
    assert not app.exception, [e.value for e in app.exception]
    assert says in app.error[0].value.replace("\\", "")
    assert not app.metric and not app.get("plotly_chart")
