"""Names placed on maps and scatter charts where they stay clear of each other; a name that cannot be placed is left
to the hover and the table view."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from strategy.charts.common import FONT

MAP_HEIGHT = 640
MAP_LABEL_SIZE = 12


def _mercator(latitude) -> np.ndarray:
    return np.degrees(np.log(np.tan(np.pi / 4 + np.radians(np.asarray(latitude, dtype=float)) / 2)))


# The names trace of a choropleth map carries this meta; its hovertext holds every name.
MAP_NAMES = "map names"
# A map is laid out for a figure this wide (pixels) when the figure does not say: the map's column on a 1280 px
# screen is about 820 px, and wider only gives the areas more room.
MAP_WIDTH_AT_LEAST = 800
# plotly fits the areas into this share of the map's frame (measured from drawn maps: about 0.9 each way)
MAP_FILL = 0.88
# Names on a map keep this many pixels clear all round: their white halo (HALO) reaches 4 px, and 4 px between
# (2 px was measured to leave two names touching on a short map, the estimate of a text's size being that close).
HALO_CLEARANCE = 8.0


def map_pixels(fig: go.Figure, width: float | None = None) -> tuple[float, float, float, float, float]:
    """(pixels per degree of longitude, left, bottom, top, right) of a choropleth map as plotly will draw it: the areas
    fitted (Mercator) into what the margins and the colour bar leave of the figure. `width` when the figure has
    none of its own (a page column), else MAP_WIDTH_AT_LEAST."""
    areas = [t for t in fig.data if t.type == "choropleth"]
    shown = set(areas[0].locations) if areas and areas[0].locations is not None else set()
    features = (
        [f for f in (areas[0].geojson or {}).get("features", []) if f["properties"]["area_code"] in shown]
        if areas
        else []
    )
    points = [(x, y) for feature in features for ring in _outer_rings(feature["geometry"]) for x, y, *_ in ring]
    if not points:
        return 1.0, 0.0, 0.0, 1.0, 1.0
    lons, lats = [x for x, _ in points], [y for _, y in points]
    bottom, top = float(_mercator(min(lats))), float(_mercator(max(lats)))
    margin = fig.layout.margin
    size = fig.layout.font.size or FONT["size"]
    bar_title = str(areas[0].colorbar.title.text or "")
    longest = max((len(line) for line in bar_title.split("<br>")), default=0)
    # the colour bar beside the map: its title (on top) or its bar and numbers, whichever is wider, and padding
    colour_bar = (
        max(0.6 * size * longest, (areas[0].colorbar.thickness or 30) + 0.6 * size * 5) + 30
        if areas[0].showscale is not False
        else 0
    )
    plot_width = (fig.layout.width or width or MAP_WIDTH_AT_LEAST) - (margin.l or 0) - (margin.r or 0) - colour_bar
    plot_height = (fig.layout.height or MAP_HEIGHT) - (margin.t or 0) - (margin.b or 0)
    pixels = MAP_FILL * min(plot_width / ((max(lons) - min(lons)) or 1), plot_height / ((top - bottom) or 1))
    return pixels, min(lons), bottom, top, max(lons)


def place_map_labels(fig: go.Figure, width: float | None = None) -> go.Figure:
    """Show each area's name on a choropleth where it, with its halo, clears every other name, laid out for the
    size the map is drawn at (the figure's height and width, else `width`); the rest are left to the hover and
    the table view. Run again whenever the map is resized (slides, presentation mode)."""
    names = [t for t in fig.data if t.type == "scattergeo" and t.meta == MAP_NAMES]
    if not names:
        return fig
    trace = names[0]
    pixels, left, bottom, top, right = map_pixels(fig, width)
    points = list(zip((np.asarray(trace.lon, dtype=float) - left) * pixels, (_mercator(trace.lat) - bottom) * pixels))
    labels = [str(name) for name in trace.hovertext]
    # names stay inside the map's square frame (plotly clips there), the areas centred in it
    across, up = (right - left) * pixels, (top - bottom) * pixels
    side = max(across, up) / MAP_FILL
    bounds = ((across - side) / 2, (across + side) / 2, (up - side) / 2, (up + side) / 2)
    positions = _label_positions(
        points, labels, trace.textfont.size or MAP_LABEL_SIZE, centred=True, clearance=HALO_CLEARANCE, bounds=bounds
    )
    trace.text = [name if p else "" for name, p in zip(labels, positions)]
    trace.textposition = [p or "middle center" for p in positions]
    return fig


# Scatter traces whose names are placed clear of one another carry this meta; their full names are the hovertext.
PLACED_NAMES = "placed names"
# Names are laid out for a plot area this wide (pixels) or wider: a page column or a download at 1200 px is
# wider, and wider only moves the points apart.
PLOT_WIDTH_AT_LEAST = 800


def place_scatter_labels(fig: go.Figure) -> go.Figure:
    """Show each point's name where it collides with no other name, marker or the plot's edge; leave the rest
    to the hover and the table view. Works on the traces marked PLACED_NAMES (axes need explicit ranges), and
    is run again when type sizes change (projector_figure)."""
    traces = [t for t in fig.data if t.type == "scatter" and t.meta == PLACED_NAMES]
    if not traces:
        return fig
    x_range, y_range = fig.layout.xaxis.range, fig.layout.yaxis.range
    margin = fig.layout.margin
    height = (fig.layout.height or 500) - (margin.t or 0) - (margin.b or 0)
    per_y = height / ((y_range[1] - y_range[0]) or 1)
    if fig.layout.yaxis.scaleanchor == "x":  # a map: one unit across is 1/scaleratio of a unit up
        per_x = per_y / (fig.layout.yaxis.scaleratio or 1)
        width = (x_range[1] - x_range[0]) * per_x
    else:
        width = PLOT_WIDTH_AT_LEAST
        per_x = width / ((x_range[1] - x_range[0]) or 1)
    points, labels, radii, owners = [], [], [], []
    for trace in traces:
        sizes = trace.marker.size if trace.marker.size is not None else 6
        sizes = list(sizes) if not isinstance(sizes, (int, float)) else [sizes] * len(trace.x)
        for n, (x, y, label) in enumerate(zip(trace.x, trace.y, trace.hovertext)):
            points.append(((x - x_range[0]) * per_x, (y - y_range[0]) * per_y))
            labels.append(str(label))
            radii.append(float(sizes[n]) / 2)
            owners.append(trace)
    size = max((t.textfont.size or fig.layout.font.size or FONT["size"]) for t in traces)
    positions = _label_positions(points, labels, size, centred=False, radii=radii, bounds=(0, width, 0, height))
    for trace in traces:
        mine = [(label, p) for label, p, owner in zip(labels, positions, owners) if owner is trace]
        trace.text = [label if p else "" for label, p in mine]
        trace.textposition = [p or "top center" for _, p in mine]
        trace.cliponaxis = False  # placed inside the plot already; never cut by it
    return fig


# Where a name may sit against its point, in order of preference, as (plotly position, x side, y side).
_AROUND = [
    ("top center", 0, 1),
    ("bottom center", 0, -1),
    ("middle right", 1, 0),
    ("middle left", -1, 0),
    ("top right", 1, 1),
    ("top left", -1, 1),
    ("bottom right", 1, -1),
    ("bottom left", -1, -1),
]


def _label_positions(
    points: list[tuple[float, float]],
    labels: list[str],
    size: float,
    centred: bool,
    radii: list[float] | None = None,
    bounds: tuple[float, float, float, float] | None = None,
    clearance: float = 0.0,
) -> list[str | None]:
    """A text position for each label so that no two labels overlap (None: leave that label off).

    points are in pixels (y up); text widths are estimated from the font size (0.55 em a character, as Arial's
    average), which is what lets a figure be laid out before it is drawn. Names are placed from the first to the
    last in the order given, each at its first free position (the area's centre first for a choropleth),
    inside bounds (x0, x1, y0, y1) when given, each name keeping `clearance` pixels clear all round (a halo).
    """
    # a circle's own box is in the way of every other circle's name
    placed = [(x - r, x + r, y - r, y + r) for (x, y), r in zip(points, radii)] if radii else []
    positions: list[str | None] = []
    gap = 3.0
    for n, ((x, y), label) in enumerate(zip(points, labels)):
        width, height = 0.55 * size * len(label) + gap + 2 * clearance, 1.25 * size + gap + 2 * clearance
        radius = (radii[n] if radii else 0.0) + 2
        options = ([("middle center", 0, 0)] if centred else []) + _AROUND
        chosen = None
        for name, side_x, side_y in options:
            cx = x + side_x * (radius + width / 2)
            cy = y + side_y * (radius + height / 2)
            box = (cx - width / 2, cx + width / 2, cy - height / 2, cy + height / 2)
            outside = bounds is not None and (
                box[0] < bounds[0] or box[1] > bounds[1] or box[2] < bounds[2] or box[3] > bounds[3]
            )
            if not outside and not any(
                box[0] < b[1] and b[0] < box[1] and box[2] < b[3] and b[2] < box[3] for b in placed
            ):
                chosen = name
                placed.append(box)
                break
        positions.append(chosen)
    return positions


def _outer_rings(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []
