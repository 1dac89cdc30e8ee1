"""What a click on a chart means (strategy/ui/selection.py): the points' targets, the narrowed filters, the undo."""

import plotly.graph_objects as go
import pytest

from strategy import analysis, charts
from strategy.filters import Filters
from strategy.ui import selection

MANSFIELD, ASHFIELD, BOLSOVER = "E07000174", "E07000170", "E07000033"


def test_a_map_area_and_a_named_point_stand_for_their_places(framework):
    names = [framework.place(c).name for c in (MANSFIELD, ASHFIELD, BOLSOVER)]
    fig = go.Figure(
        [
            go.Scattergeo(lon=[0, 1], lat=[0, 1], mode="text", text=names[:2], hoverinfo="skip"),
            go.Choropleth(locations=[MANSFIELD, BOLSOVER], z=[1, 2]),
            go.Scatter(x=[1, 2], y=[3, 4], hovertext=[names[1], "Nowhere"]),
        ]
    )
    targets = selection.place_targets(fig, selection.place_codes(framework))
    assert targets == {
        (1, 0): (("places", MANSFIELD),),
        (1, 1): (("places", BOLSOVER),),
        (2, 0): (("places", ASHFIELD),),
    }  # the labels and an unknown name stand for nothing


def test_an_aims_bar_stands_for_its_aim_even_when_its_label_is_wrapped(framework, demo_con):
    aims = analysis.heatmap(demo_con, framework, Filters(places=(MANSFIELD,)), "place", "aim").rename(
        columns={"column_label": "aim"}
    )
    fig = charts.bar_figure(aims, "activities", "aim", "Activities by aim", "source", "Activities")
    targets = selection.label_targets(fig, "aims", selection.label_codes(framework, "aim"))
    assert sorted(code for (_, _), ((_, code),) in targets.items()) == sorted(a.code for a in framework.aims)
    bars = fig.data[0].hovertext  # each bar's name, whole (the name drawn above it may be wrapped)
    for (curve, index), ((field, code),) in targets.items():
        assert field == "aims" and bars[index] == framework.label("aim", code)


def test_a_selection_picks_each_clicked_point_once_and_ignores_the_rest():
    targets = {(0, 1): (("places", MANSFIELD),), (0, 2): (("places", ASHFIELD),)}
    points = [
        {"curve_number": 0, "point_index": 2},
        {"curve_number": 3, "point_index": 0},
        {"curve_number": 0, "point_number": 2},
        {"curve_number": 0, "point_index": 1},
    ]
    assert selection.picked({"points": points}, targets) == (("places", ASHFIELD), ("places", MANSFIELD))
    assert selection.picked({"points": []}, targets) == ()
    assert selection.picked(None, targets) == ()


def test_a_click_narrows_the_fields_clicked_and_keeps_the_others():
    before = Filters(places=(MANSFIELD, ASHFIELD), sectors=("sport",), aims=("A1",))
    after = selection.narrowed(before, [("places", ASHFIELD), ("ways", "W2")])
    assert after == Filters(places=(ASHFIELD,), sectors=("sport",), aims=("A1",), ways=("W2",))
    assert selection.narrowed(before, []) == before


@pytest.mark.parametrize(
    "before, after, words",
    [
        (Filters(), Filters(places=(MANSFIELD,)), "Undo: show all places"),
        (Filters(aims=("A1", "A2")), Filters(aims=("A2",)), "Undo: back to the earlier aims"),
        (Filters(), Filters(aims=("A1",), ways=("W1",)), "Undo: show all aims and ways of working"),
        (
            Filters(places=(MANSFIELD, ASHFIELD)),
            Filters(places=(ASHFIELD,), aims=("A3",)),
            "Undo: show all aims, back to the earlier places",
        ),
    ],
)
def test_the_undo_button_says_what_it_puts_back(before, after, words):
    assert selection.undo_label(before, after) == words


def test_every_heatmap_cell_answers_a_click_with_its_row_and_column(framework, demo_con):
    cells = analysis.heatmap(demo_con, framework, Filters(), "aim", "way")
    fig = charts.heatmap_figure(cells, "activities", "Activities", "source")
    shown, targets = selection.heatmap_click_layer(fig, cells, ("aim", "way"))
    aims, ways = [a.code for a in framework.aims], [w.code for w in framework.ways]
    layer = shown.data[-1]
    assert len(shown.data) == len(fig.data) + 1 and len(layer.x) == len(aims) * len(ways)
    counts = cells.set_index(["row_code", "column_code"]).activities
    for index, (aim, way) in enumerate((a, w) for a in aims for w in ways):
        assert targets[(len(fig.data), index)] == (("aims", aim), ("ways", way))
        # the point sits on its cell (the heatmap's own tick labels) and says what the cell's hover said
        assert (layer.y[index], layer.x[index]) == (fig.data[0].y[aims.index(aim)], fig.data[0].x[ways.index(way)])
        words = layer.hovertext[index]
        assert (f"Activities: {counts[(aim, way)]:,}" in words) if counts[(aim, way)] else "no activity" in words
    assert all(trace.hoverinfo == "skip" for trace in shown.data[:-1])
    assert all(trace.hoverinfo != "skip" for trace in fig.data)  # the downloaded figure is left as it was


def test_the_chosen_cell_is_outlined_where_it_is_drawn(framework, demo_con):
    cells = analysis.heatmap(demo_con, framework, Filters(), "aim", "way")
    fig = selection.outline_cell(charts.heatmap_figure(cells, "activities", "Activities", "source"), cells, "A3", "W4")
    aims, ways = [a.code for a in framework.aims], [w.code for w in framework.ways]
    outlines = [s for s in fig.layout.shapes if s.name == "chosen cell"]
    assert outlines and all(
        (s.x0 + s.x1) / 2 == ways.index("W4") and (s.y0 + s.y1) / 2 == aims.index("A3") for s in outlines
    )
    assert selection.outline_cell(go.Figure(fig), cells, "A9", "W4").layout.shapes == fig.layout.shapes
