"""The heatmap's screen copy (the figure drawn on the page, with its click layer and chosen cell) goes with the other
cached answers when data changes: after an upload and a roll-back the page draws the new numbers, and the copies
made from the old data are let go."""

from __future__ import annotations

import gc
import json
import weakref

from strategy import analysis
from strategy.access import LOCAL_USER
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.ingest import LOADED, import_activities
from strategy.ingest.rollback import rollback_upload
from strategy.ui import data, shared_figures
from strategy.ui.heatmaps import screen_heatmap
from tests.activity_files import csv_bytes, row

AIM, WAY = "A3", "W4"


def drawn_cell(app, aim_label: str, way_label: str) -> str:
    """The number the Alignment page's heatmap prints in one cell, read from the figure it drew."""
    trace = json.loads(app.get("plotly_chart")[0].proto.spec)["data"][0]
    flat = [" ".join(str(label).replace("<br>", " ").split()) for label in trace["y"]]
    across = [" ".join(str(label).replace("<br>", " ").split()) for label in trace["x"]]
    return trace["text"][flat.index(aim_label)][across.index(way_label)]


def counted(con, framework) -> int:
    cells = analysis.heatmap(con, framework, Filters(), "aim", "way").set_index(["row_code", "column_code"])
    return int(cells.loc[(AIM, WAY)].activities)


def test_the_page_draws_the_new_heatmap_after_an_upload_and_a_roll_back(open_page, demo_db_copy):
    framework = load_framework()
    aim, way = framework.label("aim", AIM), framework.label("way", WAY)
    app = open_page("pages/1_Alignment.py", demo_db_copy)
    con = data.open_connection()
    before = counted(con, framework)
    assert drawn_cell(app, aim, way) == f"{before:,}"

    upload = csv_bytes([row(activity_id=f"SCREEN-{i}", aims=AIM, ways_of_working=WAY) for i in range(7)])
    report = import_activities(con, upload, "screen.csv", "Screen Copy Partner", LOCAL_USER)
    assert report.status == LOADED
    data.data_changed()  # what the Upload page does after a load
    app.run()
    assert counted(con, framework) == before + 7
    assert drawn_cell(app, aim, way) == f"{before + 7:,}"

    rollback_upload(con, report.upload_id, LOCAL_USER)
    data.data_changed()  # what the Upload page does after a roll-back
    app.run()
    assert drawn_cell(app, aim, way) == f"{before:,}"


def test_screen_copies_made_from_old_data_are_let_go_when_data_changes(demo_db_copy, monkeypatch):
    monkeypatch.setenv("STRATEGY_DB", str(demo_db_copy))
    data.data_changed()
    view = shared_figures.heatmap_view(Filters(), "aim", "way", "activities", "title", "source")
    shown, targets = screen_heatmap(view, "aim", "way", True, (AIM, WAY))
    assert screen_heatmap(view, "aim", "way", True, (AIM, WAY))[0] is shown  # made once per view and cell
    old_view, old_copy = weakref.ref(view), weakref.ref(shown)
    del view, shown, targets

    data.data_changed()
    gc.collect()
    try:
        assert old_view() is None and old_copy() is None
        fresh = shared_figures.heatmap_view(Filters(), "aim", "way", "activities", "title", "source")
        assert screen_heatmap(fresh, "aim", "way", True, (AIM, WAY))[0] is not None
    finally:
        data._drop_connection(data.open_connection())
