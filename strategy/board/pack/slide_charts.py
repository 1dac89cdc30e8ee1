"""A view's chart on its slide: a native PowerPoint bar or line chart (officers can edit its figures) where the view
allows, else the chart drawn as pictures in the slide's chart box."""

from __future__ import annotations

import re

import pandas as pd
import plotly.graph_objects as go
from pptx.chart.data import CategoryChartData
from pptx.dml.color import RGBColor
from pptx.enum.chart import XL_CHART_TYPE, XL_LABEL_POSITION, XL_LEGEND_POSITION
from pptx.enum.dml import MSO_LINE_DASH_STYLE
from pptx.util import Pt

from strategy import charts
from strategy.board.pack.layout import CHART_PT, HEATMAP_ROWS_PER_SLIDE, IMAGE_WIDTH, INK, Box
from strategy.board.pack.shapes import style_text
from strategy.board.slides.common import Slide


def chart_kind(slide: Slide) -> str:
    """How a view is drawn on a slide: 'tiles' (headline numbers), 'table' (a list), 'bar' and 'line' (native,
    editable PowerPoint charts with their data inside) or 'picture' (heatmaps, scatter plots and maps)."""
    if slide.tiles:
        return "tiles"
    types = {trace.type for trace in slide.figure.data}
    if "table" in types:
        return "table"
    if types == {"bar"} and all(trace.orientation == "h" for trace in slide.figure.data):
        return "bar"
    # a line over periods (a trend); not a scatter plot's reference line, drawn only for its legend (x = [None])
    lines = [
        t
        for t in slide.figure.data
        if t.type == "scatter" and "lines" in (t.mode or "") and any(x is not None for x in (t.x or ()))
    ]
    points = [t for t in slide.figure.data if t.type == "scatter" and "lines" not in (t.mode or "")]
    if lines and not points and types <= {"scatter", "bar"}:
        return "line"
    return "picture"


def label_text(text: object) -> str:
    """Plotly label text as plain text: line breaks become spaces, tags go."""
    return " ".join(re.sub(r"<[^>]+>", " ", str(text or "")).split())


def _hex(colour: str) -> RGBColor | None:
    found = re.fullmatch(r"#?([0-9a-fA-F]{6})", str(colour or ""))
    return RGBColor.from_string(found.group(1).upper()) if found else None


def _chart_fonts(chart, size: int = CHART_PT) -> None:
    chart.font.size = Pt(size)
    chart.font.color.rgb = INK


def _axis_title(axis, text: str, size: int = CHART_PT) -> None:
    if not text:
        return
    axis.has_title = True
    axis.axis_title.text_frame.text = text
    style_text(axis.axis_title.text_frame.paragraphs[0], size, INK)


def bar_chart_data(slide: Slide) -> tuple[list[str], list[float], list[str]]:
    """(categories, values, colours) of a horizontal bar view, in the order drawn (first at the bottom)."""
    trace = slide.figure.data[0]
    colours = (
        trace.marker.color if isinstance(trace.marker.color, (list, tuple)) else [trace.marker.color] * len(trace.y)
    )
    names = trace.hovertext if trace.hovertext is not None else trace.y  # charts.bar_figure names its bars there
    return [label_text(c) for c in names], [float(v) for v in trace.x], list(colours)


# A native bar chart is as tall as its bars: each bar's row at most BAR_ROW (the bar itself is 1 / (1 + 0.4) of its
# row, gap_width 40), plus BAR_AXIS for the value axis and its title; a chart of two places is not two slabs. With
# FEW_BARS bars or fewer the room left under the chart shows the view's key figures (docs/decisions.md).
INCH = 914_400
BAR_ROW = int(0.75 * INCH)
BAR_AXIS = INCH
FEW_BARS = 3


def bar_chart_height(bars: int, room: int) -> int:
    """The height of a native bar chart of `bars` bars in a box `room` high (EMU)."""
    return min(room, bars * BAR_ROW + BAR_AXIS)


def add_bar_chart(page, slide: Slide, box: Box) -> Box:
    """The view's bars as a native chart at the top of `box`, as tall as its bars; returns the box it fills."""
    categories, values, colours = bar_chart_data(slide)
    box = Box(box.left, box.top, box.width, bar_chart_height(len(categories), box.height))
    data = CategoryChartData(number_format="#,##0")
    data.categories = categories
    data.add_series(label_text(slide.figure.layout.xaxis.title.text) or "Value", values)
    frame = page.shapes.add_chart(XL_CHART_TYPE.BAR_CLUSTERED, box.left, box.top, box.width, box.height, data)
    frame._element.nvGraphicFramePr.cNvPr.set("descr", slide.summary)
    chart = frame.chart
    _chart_fonts(chart)
    chart.has_title = False
    chart.has_legend = False
    plot = chart.plots[0]
    plot.gap_width = 40
    plot.has_data_labels = True
    plot.data_labels.number_format, plot.data_labels.number_format_is_linked = "#,##0", False
    plot.data_labels.position = XL_LABEL_POSITION.OUTSIDE_END
    plot.data_labels.font.size = Pt(CHART_PT)
    for point, colour in zip(plot.series[0].points, colours):
        rgb = _hex(colour)
        if rgb is not None:
            point.format.fill.solid()
            point.format.fill.fore_color.rgb = rgb
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    dtick = slide.figure.layout.xaxis.dtick
    if dtick:
        chart.value_axis.major_unit = float(dtick)
    chart.value_axis.minimum_scale = 0
    chart.value_axis.maximum_scale = max(values or [0]) + (float(dtick) if dtick else 1)
    _axis_title(chart.value_axis, label_text(slide.figure.layout.xaxis.title.text))
    return box


def line_chart_data(slide: Slide) -> tuple[list[str], list[tuple[str, list[float | None]]], tuple[str, list] | None]:
    """(periods, [(line name, values)], (bar name, values) or None) of a trend view: the lines as drawn (95%
    bands left out), and the bars of activities beneath them."""
    figure = slide.figure
    axis = figure.layout.xaxis.categoryarray
    lines = [t for t in figure.data if t.type == "scatter" and "lines" in (t.mode or "") and t.showlegend is not False]
    periods = [str(p) for p in (axis if axis else lines[0].x)]

    def on_axis(trace) -> list[float | None]:
        values = dict(zip((str(x) for x in trace.x), trace.y))
        return [None if values.get(p) is None or pd.isna(values.get(p)) else float(values[p]) for p in periods]

    bars = next((t for t in figure.data if t.type == "bar"), None)
    return (
        periods,
        [(label_text(t.name), on_axis(t)) for t in lines],
        (label_text(bars.name), on_axis(bars)) if bars is not None else None,
    )


def add_line_chart(page, slide: Slide, box: Box) -> None:
    periods, lines, bars = line_chart_data(slide)
    line_height = int(box.height * (0.68 if bars else 1))
    data = CategoryChartData(number_format="0.0")
    data.categories = periods
    for name, values in lines:
        data.add_series(name, values)
    frame = page.shapes.add_chart(XL_CHART_TYPE.LINE_MARKERS, box.left, box.top, box.width, line_height, data)
    frame._element.nvGraphicFramePr.cNvPr.set("descr", slide.summary)
    chart = frame.chart
    _chart_fonts(chart)
    chart.has_title = False
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(CHART_PT)
    drawn = [
        t for t in slide.figure.data if t.type == "scatter" and "lines" in (t.mode or "") and t.showlegend is not False
    ]
    for series, trace in zip(chart.plots[0].series, drawn):
        series.smooth = False
        rgb = _hex(trace.line.color)
        if rgb is not None:
            series.format.line.color.rgb = rgb
            series.marker.format.fill.solid()
            series.marker.format.fill.fore_color.rgb = rgb
        series.format.line.width = Pt(2.5)
        if trace.line.dash == "dash":
            series.format.line.dash_style = MSO_LINE_DASH_STYLE.DASH
    chart.value_axis.has_major_gridlines = True
    chart.value_axis.major_gridlines.format.line.color.rgb = RGBColor(0xDD, 0xDD, 0xDD)
    chart.value_axis.tick_labels.number_format, chart.value_axis.tick_labels.number_format_is_linked = "0", False
    _axis_title(chart.value_axis, label_text(slide.figure.layout.yaxis.title.text))
    if not bars:
        return
    name, values = bars
    data = CategoryChartData(number_format="#,##0")
    data.categories = periods
    data.add_series(name, [v if v is not None else None for v in values])
    frame = page.shapes.add_chart(
        XL_CHART_TYPE.COLUMN_CLUSTERED, box.left, box.top + line_height, box.width, box.height - line_height, data
    )
    frame._element.nvGraphicFramePr.cNvPr.set("descr", f"{name}, per period")
    chart = frame.chart
    _chart_fonts(chart)
    chart.has_title = False
    chart.has_legend = True
    chart.legend.position = XL_LEGEND_POSITION.TOP
    chart.legend.include_in_layout = False
    chart.legend.font.size = Pt(CHART_PT)
    plot = chart.plots[0]
    plot.gap_width = 60
    plot.series[0].format.fill.solid()
    plot.series[0].format.fill.fore_color.rgb = RGBColor(0x99, 0x99, 0x99)
    chart.value_axis.has_major_gridlines = False
    chart.value_axis.minimum_scale = 0
    _axis_title(chart.value_axis, "Started")


def picture_figures(slide: Slide, box: Box) -> list[go.Figure]:
    """The view's chart drawn for slides: projector-sized type, the box's shape, no title or source line of its
    own (the slide has both), at IMAGE_WIDTH CSS pixels so its smallest type prints at about 12 pt or more. A
    heatmap of more than HEATMAP_ROWS_PER_SLIDE rows is split into parts on one colour scale, a slide each."""
    height = int(IMAGE_WIDTH * box.height / box.width)
    drawn = []
    for part in charts.heatmap_parts(slide.figure, HEATMAP_ROWS_PER_SLIDE):
        big = charts.projector_figure(part)
        kept, bottom = charts.annotations_without_source(big)  # the map's attribution stays under the map
        big.layout.annotations = kept  # assigned: update_layout would merge the list into the old one
        big.update_layout(title=None, height=height, width=IMAGE_WIDTH, margin=dict(t=50, b=bottom, l=10, r=30))
        # numbers are printed in every cell: the colour bar only repeats them, and its room goes to the headings
        big.update_traces(showscale=False, selector=dict(type="heatmap"))
        drawn.append(charts.fit_to_box(big, IMAGE_WIDTH, height, font=19, min_font=15))
    return drawn
