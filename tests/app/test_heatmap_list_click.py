"""The heatmap as a list (the layout for phones) answers a click as the grid does: a row on Alignment opens its
cell's activities, a row on Coverage and gaps narrows the page to its place and aim."""

from __future__ import annotations

import json

from streamlit.proto.WidgetStates_pb2 import WidgetState

from strategy import analysis
from strategy.filters import Filters


def click_row(app, key: str, position: int):
    """What the browser sends when a row of the table `key` is clicked: the table's selection, with the other
    widgets' values (AppTest has no way of its own to select a table's row)."""
    table = next(frame for frame in app.dataframe if frame.key == key)
    states = app._tree.get_widget_states()
    state = WidgetState(id=table.proto.id)
    state.string_value = json.dumps({"selection": {"rows": [position], "columns": [], "cells": []}})
    states.widgets.append(state)
    return app._run(states)


def listed_row(app, key: str, position: int) -> tuple[str, str]:
    """The (row label, column label) of one row of the list as drawn."""
    listed = next(frame for frame in app.dataframe if frame.key == key).value
    return str(listed.iloc[position, 1]), str(listed.iloc[position, 2])


def test_a_row_of_alignment_s_list_opens_its_cell_s_activities(open_page, app_demo_db, demo_con, framework):
    app = open_page("pages/1_Alignment.py", app_demo_db, {"layout": "list"})
    assert not app.get("plotly_chart")
    assert any("Click a row to list its activities below." in c.value for c in app.caption)
    position = 4  # the fifth largest cell, not the one the drop-downs start on
    aim_label, way_label = listed_row(app, "alignment_heatmap_list", position)
    aim = next(a.code for a in framework.aims if framework.label("aim", a.code) == aim_label)
    way = next(w.code for w in framework.ways if framework.label("way", w.code) == way_label)
    assert (app.selectbox(key="cell_row_aim").value, app.selectbox(key="cell_column_way").value) != (aim, way)

    click_row(app, "alignment_heatmap_list", position)
    assert not app.exception
    assert app.selectbox(key="cell_row_aim").value == aim
    assert app.selectbox(key="cell_column_way").value == way
    expected = (
        analysis.heatmap(demo_con, framework, Filters()).set_index(["row_code", "column_code"]).loc[(aim, way)]
    ).activities
    assert any(m.value.startswith(f"**{expected:,} activities** address") for m in app.markdown)
    assert app.query_params.get("layout") in ("list", ["list"])  # still the list


def test_a_row_of_coverage_s_list_narrows_the_page_to_its_place_and_aim(open_page, app_demo_db, framework):
    app = open_page("pages/2_Coverage_and_gaps.py", app_demo_db, {"layout": "list"})
    place_name, aim_label = listed_row(app, "coverage_grid_list", 2)
    place = next(p.code for p in framework.places if p.name == place_name)
    aim = next(a.code for a in framework.aims if framework.label("aim", a.code) == aim_label)

    click_row(app, "coverage_grid_list", 2)
    assert not app.exception
    assert app.multiselect(key="filter_places").value == [place]
    assert app.multiselect(key="filter_aims").value == [aim]
    assert app.query_params["place"] in (place, [place]) and app.query_params["aim"] in (aim, [aim])
    assert [b for b in app.button if b.label == "Undo: show all places and aims"]
