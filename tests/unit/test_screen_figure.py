"""Charts on screen follow the viewer's light or dark theme; downloads keep the white original."""

from __future__ import annotations

import pandas as pd

from strategy import charts
from strategy.charts.common import FONT, MUTED


def test_the_screen_copy_drops_the_fixed_light_colours_and_leaves_the_original_alone():
    cells = pd.DataFrame(
        {
            "row_code": ["A1", "A1"],
            "row_label": ["Aim one", "Aim one"],
            "column_code": ["W1", "W2"],
            "column_label": ["Way one", "Way two"],
            "activities": [3, 0],
            "investment": [10.0, 0.0],
            "participants": [5.0, 0.0],
        }
    )
    original = charts.heatmap_figure(cells, "activities", "Title", "Source: test")
    before = original.to_json()
    shown = charts.screen_figure(original)
    assert original.to_json() == before
    assert original.layout.paper_bgcolor == "white" and original.layout.font.color == FONT["color"]
    assert shown.layout.paper_bgcolor == "rgba(0,0,0,0)" and shown.layout.plot_bgcolor == "rgba(0,0,0,0)"
    assert shown.layout.font.color is None  # the theme's text colour, light or dark
    assert all(a.font.color != MUTED for a in shown.layout.annotations)
    assert shown.to_dict()["data"].__repr__() == original.to_dict()["data"].__repr__()  # same numbers and cells
