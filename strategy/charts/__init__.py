"""Pure chart functions: a DataFrame in, a plotly Figure out. Used by the pages and by every export.

One module per kind of chart (heatmap, need_effort, maps, bars, tables), what they all share (common), names placed
on maps and scatter charts (labels), and a chart refitted for a projector, a slide or the screen (fitting). The
functions the pages and the board pack call are named here too, so `charts.heatmap_figure(...)` reads as before."""

from strategy.charts.bars import bar_figure, totals_figure
from strategy.charts.fitting import (
    annotations_without_source,
    copy_figure,
    fit_to_box,
    projector_figure,
    screen_figure,
)
from strategy.charts.heatmap import heatmap_figure, heatmap_parts
from strategy.charts.maps import BoundaryFileError, boundaries_path, place_map_figure, read_boundaries
from strategy.charts.need_effort import need_effort_figure
from strategy.charts.tables import table_figure

__all__ = [
    "BoundaryFileError",
    "annotations_without_source",
    "bar_figure",
    "boundaries_path",
    "copy_figure",
    "fit_to_box",
    "heatmap_figure",
    "heatmap_parts",
    "need_effort_figure",
    "place_map_figure",
    "projector_figure",
    "read_boundaries",
    "screen_figure",
    "table_figure",
    "totals_figure",
]
