"""The heatmap as a list for narrow screens: chosen beside the heatmap, kept in the link, and holding the same
numbers as the grid, largest first."""

from __future__ import annotations

import json


def grid_cells(app) -> list[tuple[str, str, float]]:
    """(row, column, number) of every cell, read from the drawn figure's printed numbers."""
    spec = json.loads(app.get("plotly_chart")[0].proto.spec)
    trace = spec["data"][0]
    cells = []
    for row, texts in zip(trace["y"], trace["text"]):
        for column, text in zip(trace["x"], texts):
            number = str(text).replace(",", "").replace("£", "")
            cells.append((row, column, 0.0 if number in ("", "none") else float(number)))
    return cells


def flat(label: str) -> str:
    return " ".join(str(label).replace("<br>", " ").split())


def test_the_list_holds_every_cell_of_the_grid_largest_first(open_page, app_demo_db):
    grid = open_page("pages/1_Alignment.py", app_demo_db)
    assert grid.segmented_control(key="alignment_heatmap_layout").value == "grid"
    expected = sorted(((flat(r), flat(c)), v) for r, c, v in grid_cells(grid))

    listed_app = open_page("pages/1_Alignment.py", app_demo_db, {"layout": "list"})
    assert not listed_app.exception
    assert not listed_app.get("plotly_chart")
    listed = listed_app.dataframe[0].value
    assert list(listed.columns) == ["Activities", "Aim", "Way of working"]
    values = listed["Activities"].tolist()
    assert values == sorted(values, reverse=True)
    got = sorted(((flat(r), flat(c)), float(v)) for v, r, c in listed.itertuples(index=False))
    assert [v for _, v in got] == [v for _, v in expected]
    assert len(got) == len(expected) == len(grid_cells(grid))


def test_choosing_list_puts_it_in_the_link_and_grid_takes_it_out(open_page, app_demo_db):
    app = open_page("pages/2_Coverage_and_gaps.py", app_demo_db)
    app.segmented_control(key="coverage_grid_layout").set_value("list").run()
    assert app.query_params.get("layout") in ("list", ["list"])
    assert list(app.dataframe[0].value.columns) == ["Activities", "Place", "Aim"]
    app.segmented_control(key="coverage_grid_layout").set_value("grid").run()
    assert "layout" not in app.query_params
