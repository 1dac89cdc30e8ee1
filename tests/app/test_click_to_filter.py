"""Alignment's view and measure in the link, and the undo of a click that narrowed the filters, on the pages."""

import json

from strategy import analysis
from strategy.filters import Filters
from strategy.ui.selection import UNDO_STATE, Undo

MANSFIELD = "E07000174"


def test_a_link_opens_alignment_on_its_view_and_measure(open_page, app_demo_db, framework):
    app = open_page("pages/1_Alignment.py", app_demo_db, {"view": "place-aim", "measure": "investment"})
    assert not app.exception
    assert app.button_group(key="alignment_view").value == "Places x aims"
    assert app.button_group(key="alignment_measure").value == "investment"
    heatmap = json.loads(app.get("plotly_chart")[0].proto.spec)["data"][0]
    assert framework.place(MANSFIELD).name in heatmap["y"]
    assert any(text.startswith("£") for row in heatmap["text"] for text in row if text)


def test_choosing_a_view_and_measure_writes_them_into_the_link(open_page, app_demo_db):
    app = open_page("pages/1_Alignment.py", app_demo_db, {"place": MANSFIELD})
    assert "view" not in app.query_params and "measure" not in app.query_params  # the defaults stay out
    app.button_group(key="alignment_view").set_value("Themes x aims").run()
    app.button_group(key="alignment_measure").set_value("participants").run()
    assert app.query_params["view"] in ("theme-aim", ["theme-aim"])
    assert app.query_params["measure"] in ("participants", ["participants"])
    assert app.query_params["place"] in (MANSFIELD, [MANSFIELD])  # the filters are kept beside them
    app.button_group(key="alignment_view").set_value("Aims x ways of working").run()
    assert "view" not in app.query_params


def test_the_drill_down_lists_the_cell_the_drop_downs_name_and_the_heatmap_outlines_it(
    open_page, app_demo_db, demo_con, framework
):
    app = open_page("pages/1_Alignment.py", app_demo_db)
    app.selectbox(key="cell_row_aim").set_value("A2").run()
    app.selectbox(key="cell_column_way").set_value("W5").run()
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    aims, ways = [a.code for a in framework.aims], [w.code for w in framework.ways]
    outlines = [s for s in spec["layout"]["shapes"] if s.get("name") == "chosen cell"]
    assert outlines and all(
        ((s["x0"] + s["x1"]) / 2, (s["y0"] + s["y1"]) / 2) == (ways.index("W5"), aims.index("A2")) for s in outlines
    )
    expected = (
        analysis.heatmap(demo_con, framework, Filters())
        .set_index(["row_code", "column_code"])
        .loc[("A2", "W5")]
        .activities
    )
    assert any(m.value.startswith(f"**{expected:,} activities**") for m in app.markdown)


def test_the_undo_button_puts_back_the_filters_before_the_click(open_page, app_demo_db):
    app = open_page("pages/3_Places.py", app_demo_db, {"place": MANSFIELD, "sector": "sport"})
    before, after = Filters(sectors=("sport",)), Filters(places=(MANSFIELD,), sectors=("sport",))
    app.session_state[UNDO_STATE] = Undo(before, after, "Undo: show all places", "place_map")
    app.run()
    buttons = [b for b in app.button if b.label == "Undo: show all places"]
    assert {b.key for b in buttons} == {"filter_undo_sidebar", "place_map_undo"}  # the sidebar, and the map
    buttons[0].click().run()
    assert not app.exception
    assert "place" not in app.query_params and app.query_params["sector"] in ("sport", ["sport"])
    assert app.multiselect(key="filter_places").value == []
    assert not [b for b in app.button if b.label.startswith("Undo")]


def test_the_undo_is_forgotten_once_the_filters_are_changed_another_way(open_page, app_demo_db):
    app = open_page("pages/3_Places.py", app_demo_db, {"place": MANSFIELD})
    app.session_state[UNDO_STATE] = Undo(Filters(), Filters(places=(MANSFIELD,)), "Undo: show all places", "place_map")
    app.run()
    assert [b for b in app.button if b.label == "Undo: show all places"]
    app.multiselect(key="filter_sectors").set_value(["sport"]).run()
    assert not [b for b in app.button if b.label.startswith("Undo")]
    assert app.query_params["place"] in (MANSFIELD, [MANSFIELD])  # the click's place stays chosen
