"""Charts on screen follow the viewer's light or dark theme; downloads keep the white original. Where a figure is
built or copied without plotly validating again what is valid already (plotly's template, the screen copy, a copy
to add a click layer to), it is the figure plotly's validated way gives."""

from __future__ import annotations

import json

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from strategy import analysis, charts
from strategy.charts import common
from strategy.charts.common import FONT, MUTED
from strategy.filters import Filters
from strategy.ui import selection


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


def validated_screen_copy(fig: go.Figure) -> go.Figure:
    """The screen copy as plotly's own validated updates make it: what charts.screen_figure must equal."""
    shown = go.Figure(fig)
    shown.update_layout(
        paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", font_color=None, title_font_color=None
    )
    shown.update_xaxes(gridcolor=None, tickfont_color=None, title_font_color=None)
    shown.update_yaxes(gridcolor=None, tickfont_color=None, title_font_color=None)
    for annotation in shown.layout.annotations or ():
        if annotation.font and annotation.font.color in (MUTED, FONT["color"]):
            annotation.font.color = None
    return shown


def chart_inputs(con, framework) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(places with need against effort, aims x ways cells, activities by aim), read once: DuckDB may add floats in
    another order on another read, so two builds compare only when made from the same tables."""
    everywhere = Filters()
    places = analysis.need_vs_effort(con, framework, everywhere)
    places = places.assign(high_need_low_effort=analysis.high_need_low_effort(places, "investment_per_head"))
    cells = analysis.heatmap(con, framework, everywhere, "aim", "way")
    by_aim = analysis.heatmap(con, framework, everywhere, "place", "aim").rename(columns={"column_label": "aim"})
    return places, cells, by_aim


def every_kind_of_chart(inputs) -> dict[str, go.Figure]:
    places, cells, by_aim = inputs
    clickable, _targets = selection.heatmap_click_layer(
        charts.heatmap_figure(cells, "activities", "Title", "Source"), cells, ("aim", "way")
    )
    return {
        "heatmap": charts.heatmap_figure(cells, "investment", "Title", "Source: demo", compact=True),
        "heatmap with its click layer and a chosen cell": selection.outline_cell(
            clickable, cells, cells.row_code.iloc[0], cells.column_code.iloc[0]
        ),
        "need against effort": charts.need_effort_figure(places, "investment_per_head", "Title", "Source"),
        "map of areas": charts.place_map_figure(
            places, "inactive_pct", "Inactive", "Title", "Source", charts.read_boundaries(charts.boundaries_path())
        ),
        "map of centre points": charts.place_map_figure(places, "activities", "Activities", "Title", "Source", None),
        "bars": charts.bar_figure(by_aim, "activities", "aim", "Title", "Source", "Activities"),
        "table": charts.table_figure(by_aim[["aim", "activities"]], "Title", "Source"),
    }


def test_the_screen_copy_is_what_plotlys_validated_updates_make_of_every_kind_of_chart(demo_con, framework):
    for kind, fig in every_kind_of_chart(chart_inputs(demo_con, framework)).items():
        before = json.loads(fig.to_json())
        fast = json.loads(pio.to_json(charts.screen_figure(fig), validate=False))
        assert fast == json.loads(pio.to_json(validated_screen_copy(fig), validate=False)), kind
        assert json.loads(fig.to_json()) == before, kind  # the original is left alone
        assert fast["layout"]["paper_bgcolor"] == "rgba(0,0,0,0)", kind


def test_a_copy_to_add_to_is_the_same_figure_and_valid_plotly():
    original = charts.bar_figure(
        pd.DataFrame({"aim": ["One", "Two"], "activities": [3, 5]}), "activities", "aim", "Title", "Source", "n"
    )
    copy = charts.copy_figure(original)
    assert copy is not original and copy.to_dict() == original.to_dict()
    copy.update_layout(title_text="Changed")
    assert original.layout.title.text == "Title"  # a deep copy
    assert go.Figure(copy.to_dict()).to_dict() == copy.to_dict()  # validating it changes nothing


def validated_plotly_template(fig: go.Figure) -> go.Figure:
    fig.update_layout(template="plotly")
    return fig


def test_charts_given_plotlys_template_unvalidated_are_the_charts_given_it_validated(demo_con, framework, monkeypatch):
    import streamlit  # noqa: F401  (makes Streamlit's template the default, as on the server)

    assert pio.templates.default == "streamlit"
    inputs = chart_inputs(demo_con, framework)
    fast = every_kind_of_chart(inputs)
    monkeypatch.setattr(common, "with_plotly_template", validated_plotly_template)
    validated = every_kind_of_chart(inputs)
    plotlys_template = json.loads(go.Figure(layout=dict(template="plotly")).to_json())["layout"]["template"]
    for kind, fig in fast.items():
        shown = json.loads(pio.to_json(fig, validate=False))
        assert shown == json.loads(pio.to_json(validated[kind], validate=False)), kind
        assert shown["layout"]["template"] == plotlys_template, kind
