"""The pages' shared caches (strategy/ui/data.py, shared_figures.py) never serve an answer computed from data that
has since changed."""

from __future__ import annotations

import threading

from strategy import analysis, charts
from strategy.access import LOCAL_USER
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.ingest import LOADED, import_activities
from strategy.ui import data, shared_figures
from tests.activity_files import csv_bytes, row


def test_a_heatmap_built_while_an_upload_lands_is_not_served_after_it(demo_db_copy, monkeypatch):
    monkeypatch.setenv("STRATEGY_DB", str(demo_db_copy))
    data.data_changed()
    building, may_finish = threading.Event(), threading.Event()
    build_figure = charts.heatmap_figure

    def slow_figure(*args, **kwargs):  # the cells are read; the figure is still being built when the upload lands
        building.set()
        may_finish.wait(30)
        return build_figure(*args, **kwargs)

    monkeypatch.setattr(charts, "heatmap_figure", slow_figure)
    seen = {}
    reader = threading.Thread(
        target=lambda: seen.setdefault(
            "before", shared_figures.heatmap_view(Filters(), "aim", "way", "activities", "title", "source")
        )
    )
    reader.start()
    assert building.wait(30)
    con = data.open_connection()
    upload = csv_bytes([row(activity_id=f"CACHE-{i}", aims="A3", ways_of_working="W4") for i in range(5)])
    assert import_activities(con, upload, "late.csv", "Cache Partner", LOCAL_USER).status == LOADED
    data.data_changed()  # what the Upload page does after a load
    may_finish.set()
    reader.join(30)
    monkeypatch.setattr(charts, "heatmap_figure", build_figure)

    after = shared_figures.heatmap_view(Filters(), "aim", "way", "activities", "title", "source")
    truth = analysis.heatmap(con, load_framework(), Filters(), "aim", "way")
    try:
        assert after.cells.activities.sum() == truth.activities.sum()
        assert after.cells.activities.sum() == seen["before"].cells.activities.sum() + 5
    finally:
        data._drop_connection(con)
