"""Pure chart functions: a DataFrame in, a plotly Figure out. Used by the pages and by every export."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from strategy.analysis import DIMENSION_NAMES, MEASURES, THIN_CELL
from strategy.build.reference import reference_dir

# Okabe-Ito: distinguishable with every common colour-vision deficiency.
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]
# One hue, light to dark, for heatmaps and maps: order is read from lightness, not from hue.
SEQUENTIAL = [[0.0, "#f7fbff"], [0.25, "#c6dbef"], [0.5, "#6baed6"], [0.75, "#2171b5"], [1.0, "#08306b"]]
EMPTY_CELL = "#f3e6e6"
HIGHLIGHT = "#D55E00"
MUTED = "#7f7f7f"
# Heatmap row labels (the strategy's headings) are wrapped at about this many characters.
ROW_LABEL_WIDTH = 32
FONT = dict(family="Source Sans Pro, Arial, sans-serif", size=15, color="#262730")


def _frame(fig: go.Figure, title: str, source: str, height: int, source_width: int = 95) -> go.Figure:
    """Common layout: title, readable type, and the source line under the plot (wrapped at source_width
    characters, as it starts where the plot does and would otherwise run off a narrow chart)."""
    fig.update_layout(
        # the title sits at the top (not in the middle of the top margin, plotly's default), clear of headings
        title=dict(text=title, x=0, xanchor="left", y=1, yanchor="top", font=dict(size=19), pad=dict(l=10, t=14)),
        # plotly's own template, named: importing Streamlit makes its template the default, which has no axis
        # automargin, so a pack built by the server would otherwise clip labels that one built by the CLI does not
        template="plotly",
        font=FONT,
        height=height,
        margin=dict(l=10, r=10, t=60, b=70),
        paper_bgcolor="white",
        plot_bgcolor="white",
        colorway=OKABE_ITO,
    )
    fig.add_annotation(
        text=wrap_label(source, source_width),
        xref="paper",
        yref="paper",
        x=0,
        y=0,
        yanchor="top",
        xanchor="left",
        showarrow=False,
        font=dict(size=12, color=MUTED),
        align="left",
        name=SOURCE_NOTE,
    )
    return place_source(legend_room(fig))


def legend_room(fig: go.Figure) -> go.Figure:
    """A legend laid across the top of the plot gets a band of its own below the title, so the two never meet;
    called again whenever type sizes change (projector_figure)."""
    legend = fig.layout.legend
    if legend.orientation != "h" or (legend.y or 0) < 1 or legend.yanchor != "bottom":
        return fig
    title = (fig.layout.title.font.size or 19) * LINE_HEIGHT
    size = legend.font.size or fig.layout.font.size or FONT["size"]
    fig.update_layout(margin=dict(t=max(fig.layout.margin.t or 0, 14 + title + 8 + size * LINE_HEIGHT + 12)))
    return fig


SOURCE_NOTE = "source"
LINE_HEIGHT = 1.3  # a line of text is this many times its font size


def place_source(fig: go.Figure) -> go.Figure:
    """Put the source line below the bottom axis's tick labels and title (not over them), and make the bottom
    margin deep enough for both; called again whenever type sizes change (projector_figure)."""
    notes = [a for a in fig.layout.annotations if a.name == SOURCE_NOTE]
    if not notes:
        return fig
    base = fig.layout.font.size or FONT["size"]
    depth = 0.0
    for axis in fig.select_xaxes():
        if axis.visible is False or axis.side == "top":
            continue
        below = 0.0
        if axis.showticklabels is not False:
            ticks = [str(t) for t in (axis.ticktext or [])] or [""]
            below += (axis.tickfont.size or base) * LINE_HEIGHT * max(t.count("<br>") + 1 for t in ticks) + 8
        if axis.title.text:
            below += (axis.title.font.size or base) * LINE_HEIGHT * (axis.title.text.count("<br>") + 1) + 10
        depth = max(depth, below)
    note = notes[-1]
    note.yshift = -(depth + 6)
    needed = depth + 6 + (note.font.size or 12) * LINE_HEIGHT * (note.text.count("<br>") + 1) + 10
    fig.update_layout(margin=dict(b=max(fig.layout.margin.b or 0, needed)))
    return fig


def heatmap_figure(cells: pd.DataFrame, measure: str, title: str, source: str, compact: bool = False) -> go.Figure:
    """A heatmap of one measure with the number printed in every cell; empty cells tinted and marked 'none'.

    compact: columns headed by their codes (W1...), for narrow spaces; the hover still names them.
    """
    rows = list(dict.fromkeys(cells.row_label))
    columns = list(dict.fromkeys(cells.column_label))
    matrix = cells.pivot(index="row_label", columns="column_label", values=measure).loc[rows, columns]
    counts = cells.pivot(index="row_label", columns="column_label", values="activities").loc[rows, columns]
    values = matrix.to_numpy(dtype=float)
    is_empty = counts.to_numpy() == 0
    is_thin = (counts.to_numpy() > 0) & (counts.to_numpy() < THIN_CELL)
    text = [[_cell_text(v, c, measure) for v, c in zip(vr, cr)] for vr, cr in zip(values, counts.to_numpy())]
    column_ticks = list(dict.fromkeys(cells.column_code)) if compact else [wrap_label(c) for c in columns]
    row_ticks = [wrap_label(r, ROW_LABEL_WIDTH) for r in rows]  # the strategy's headings can be long
    # The strategy's full wording of each row and column, for the hover text beside the short labels.
    row_words = dict(zip(cells.row_label, cells.row_wording if "row_wording" in cells else cells.row_label))
    column_words = dict(
        zip(cells.column_label, cells.column_wording if "column_wording" in cells else cells.column_label)
    )
    wording = [[f"{wrap_label(row_words[r], 60)}<br>{wrap_label(column_words[c], 60)}" for c in columns] for r in rows]
    rows = row_ticks
    fig = go.Figure()
    fig.add_trace(
        go.Heatmap(
            z=np.where(is_empty, np.nan, values),
            x=column_ticks,
            y=rows,
            text=np.where(is_empty | is_thin, "", text),
            texttemplate="%{text}",
            customdata=wording,
            colorscale=SEQUENTIAL,
            zmin=0,
            xgap=2,
            ygap=2,
            textfont=dict(size=14),
            colorbar=dict(title=dict(text=MEASURES[measure], side="right"), thickness=14),
            hovertemplate="%{customdata}<br>" + MEASURES[measure] + ": %{text}<extra></extra>",
        )
    )
    if is_thin.any():  # thin cells keep their colour but their number turns the accent colour and bold
        fig.add_trace(
            go.Heatmap(
                z=np.where(is_thin, values, np.nan),
                x=column_ticks,
                y=rows,
                text=np.where(is_thin, text, ""),
                texttemplate="<b>%{text}</b>",
                colorscale=SEQUENTIAL,
                zmin=0,
                zmax=np.nanmax(values) or 1,
                showscale=False,
                xgap=2,
                ygap=2,
                textfont=dict(size=14, color=HIGHLIGHT),
                customdata=wording,
                hovertemplate="%{customdata}<br>" + MEASURES[measure] + ": %{text} (thin)<extra></extra>",
            )
        )
    if is_empty.any():  # a second layer so empty cells are tinted, labelled and never read as "low"
        fig.add_trace(
            go.Heatmap(
                z=np.where(is_empty, 1.0, np.nan),
                x=column_ticks,
                y=rows,
                text=np.where(is_empty, "none", ""),
                texttemplate="%{text}",
                colorscale=[[0, EMPTY_CELL], [1, EMPTY_CELL]],
                showscale=False,
                xgap=2,
                ygap=2,
                textfont=dict(size=14, color=HIGHLIGHT),
                customdata=wording,
                hovertemplate="%{customdata}<br>no activity<extra></extra>",
            )
        )
    fig.update_yaxes(autorange="reversed", title=DIMENSION_NAMES[cells.attrs.get("rows", "aim")], showgrid=False)
    fig.update_xaxes(side="top", title=None, showgrid=False, tickangle=0)
    row_height = 54 if any("<br>" in r for r in rows) else 40  # room for headings wrapped onto two lines
    _frame(fig, title, source, max(340, 120 + row_height * len(rows)), source_width=50 if compact else 95)
    return _heading_room(fig)


def _heading_room(fig: go.Figure) -> go.Figure:
    """A top margin deep enough for the title and the column headings above the heatmap (however many lines
    they wrap onto), so neither is drawn over the other."""
    heatmaps = [trace for trace in fig.data if trace.type == "heatmap"]
    if not heatmaps:
        return fig
    lines = max((str(x).count("<br>") + 1 for x in heatmaps[0].x), default=1)
    size = fig.layout.xaxis.tickfont.size or fig.layout.font.size or FONT["size"]
    title = (fig.layout.title.font.size or 19) * LINE_HEIGHT
    fig.update_layout(margin=dict(t=14 + title + 12 + size * LINE_HEIGHT * lines + 10))
    return fig


def wrap_label(label: str, width: int = 14) -> str:
    """A tick label broken onto lines of about `width` characters, so column headings do not overlap."""
    lines, line = [], ""
    for word in label.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    return "<br>".join(lines + [line])


def _cell_text(value: float, count: int, measure: str) -> str:
    if count == 0:
        return "none"
    if measure == "investment":
        return f"£{value / 1000:,.0f}k" if value >= 1000 else f"£{value:,.0f}"
    return f"{value:,.0f}"


def need_effort_figure(table: pd.DataFrame, effort: str, title: str, source: str) -> go.Figure:
    """Need (inactive adults) against effort per head; high-need, low-effort places stand out in colour and label."""
    effort_label = {
        "investment_per_head": "Investment per head (£)",
        "activities_per_100k": "Activities per 100,000 people",
    }[effort]
    fig = go.Figure()
    # the flagged places first, so their names are placed first and are the last to be left off
    for flagged, colour, name in ((True, HIGHLIGHT, "High need, low effort"), (False, OKABE_ITO[4], "Other places")):
        part = table[table.high_need_low_effort == flagged]
        fig.add_trace(
            go.Scatter(
                x=list(part.inactive_pct),
                y=list(part[effort]),
                mode="markers+text",
                name=name,
                hovertext=list(part.place_name),
                meta=PLACED_NAMES,
                marker=dict(
                    size=14, color=colour, symbol="diamond" if flagged else "circle", line=dict(width=1, color="white")
                ),
                hovertemplate="%{hovertext}<br>Inactive adults: %{x:.1f}%<br>"
                + effort_label
                + ": %{y:,.1f}<extra></extra>",
            )
        )
    typical = (
        (table.typical_inactive_pct.iloc[0], table[f"typical_{effort}"].iloc[0])
        if len(table) and "typical_inactive_pct" in table
        else (table.inactive_pct.median(), table[effort].median())
        if len(table)
        else None
    )
    if typical is not None:  # the partnership-wide yardstick (analysis.need_vs_effort), named in the legend
        fig.add_vline(x=typical[0], line=dict(color=MUTED, dash="dot"))
        fig.add_hline(y=typical[1], line=dict(color=MUTED, dash="dot"))
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                line=dict(color=MUTED, dash="dot"),
                name="Typical: the middle of all the partnership's places",
                hoverinfo="skip",
            )
        )
    x_range = _padded(table.inactive_pct, 0.08) if len(table) else [0, 1]
    top = float(np.nanmax(table[effort])) if len(table) and table[effort].notna().any() else 1.0
    fig.update_xaxes(range=x_range)
    fig.update_yaxes(range=[0, (top or 1) * 1.15])
    fig.update_xaxes(title="Adults inactive (%, latest Active Lives) — more need →", gridcolor="#eeeeee")
    fig.update_yaxes(title=effort_label + " — more effort →", gridcolor="#eeeeee")
    fig.update_layout(legend=dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right"))
    _frame(fig, title, source, 520)
    return place_scatter_labels(fig)


BOUNDARY_ATTRIBUTION = "Contains OS data © Crown copyright and database right 2019; ONS, Open Government Licence v3.0"
MAP_HEIGHT = 640
MAP_LABEL_SIZE = 12
# A white halo round dark names, so they read on light and dark fills alike.
HALO = "0px 0px 2px white, 0px 0px 3px white, 0px 0px 4px white"
# Room for the title above and the source and attribution lines below the map, in pixels.
MAP_MARGIN = dict(l=10, r=10, t=60, b=90)


class BoundaryFileError(ValueError):
    """The boundary file exists but cannot be used; the message says which file and what is wrong."""


def boundaries_path() -> Path | None:
    """The boundary GeoJSON the map draws: STRATEGY_BOUNDARIES when set, else the GeoJSON file (*.geojson) in the
    strategy's reference folder (data/reference, or STRATEGY_REFERENCE), the first by name if there are several;
    None when the folder has none (the map then draws centre points)."""
    chosen = os.environ.get("STRATEGY_BOUNDARIES", "").strip()
    if chosen:
        return Path(chosen)
    found = sorted(reference_dir().glob("*.geojson"))
    return found[0] if found else None


def read_boundaries(path: str | Path | None = None) -> dict | None:
    """The boundary GeoJSON (features with an 'area_code' property), or None when the file is missing (the map
    then draws centre points). A file that exists but is not such a GeoJSON is a BoundaryFileError."""
    path = Path(path) if path else boundaries_path()
    if path is None or not path.is_file():
        return None
    try:
        geojson = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise BoundaryFileError(f"The boundary file {path} could not be read as GeoJSON ({problem}).") from problem
    features = geojson.get("features") if isinstance(geojson, dict) else None
    if not features or not all(
        isinstance(f, dict)
        and (f.get("properties") or {}).get("area_code")
        and (f.get("geometry") or {}).get("type") in ("Polygon", "MultiPolygon")
        for f in features
    ):
        raise BoundaryFileError(
            f"The boundary file {path} is not a GeoJSON FeatureCollection whose features are "
            "polygons with an 'area_code' property (the ONS code of each area)."
        )
    return _wound_for_plotly(geojson)


def _wound_for_plotly(geojson: dict) -> dict:
    """A copy with every polygon's outline clockwise and its holes anticlockwise, as plotly's map projection
    reads them. GeoJSON files are often wound the other way (RFC 7946's rule), which plotly draws as the whole
    world except the area."""

    def signed_area(ring):
        return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:]))

    def wound(ring, clockwise):
        return ring if (signed_area(ring) < 0) == clockwise else ring[::-1]

    def polygon(rings):
        return [wound(ring, n == 0) for n, ring in enumerate(rings)]

    features = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        coordinates = (
            polygon(geometry["coordinates"])
            if geometry["type"] == "Polygon"
            else [polygon(p) for p in geometry["coordinates"]]
        )
        features.append({**feature, "geometry": {**geometry, "coordinates": coordinates}})
    return {**geojson, "features": features}


def place_map_figure(
    table: pd.DataFrame, measure: str, measure_label: str, title: str, source: str, boundaries: dict | None = None
) -> go.Figure:
    """A map of the places coloured by a measure: a choropleth of the areas' boundaries when given, else circles
    at the ONS centre points sized and coloured by the measure.

    Needs no map tiles or network, in the app and in exports. Place names sit on the map where they do not
    collide; a name that cannot be placed clear of the others is left to the hover and the table view.
    """
    values = table.set_index("place_code")[measure].astype(float)
    low = float(np.nanmin(values)) if values.notna().any() else 0.0
    high = float(np.nanmax(values)) if values.notna().any() else 1.0
    colorbar = dict(title=dict(text=wrap_label(measure_label, 16)), thickness=14, len=0.8)
    hover = "%{text}<br>" + measure_label + ": %{customdata:,.1f}<extra></extra>"
    fig = go.Figure()
    drawn = (
        table[table.place_code.isin([f["properties"]["area_code"] for f in boundaries["features"]])]
        if boundaries
        else table
    )
    # names are placed in order and the later ones left off where they would collide: the places furthest from
    # the middle value (those a headline names, the highest and the lowest) go first
    distance = (drawn[measure].astype(float) - drawn[measure].astype(float).median()).abs()
    drawn = drawn.assign(_distance=distance.fillna(-1)).sort_values("_distance", ascending=False, kind="stable")
    if boundaries:
        # The names go first: plotly.js decides from the first trace on a map whether to fetch its world outline
        # from the internet, and a trace of points needs none (tested: the map draws with no network).
        # (the names are placed by place_map_labels below, once the map's size is known)
        fig.add_trace(
            go.Scattergeo(
                # plain lists: a copy that went through JSON or a cache holds numpy arrays as encoded dicts
                lon=[float(v) for v in drawn.lon],
                lat=[float(v) for v in drawn.lat],
                mode="text",
                text=list(drawn.place_name),
                meta=MAP_NAMES,
                hovertext=list(drawn.place_name),
                hoverinfo="skip",
                showlegend=False,
                textfont=dict(size=MAP_LABEL_SIZE, color=FONT["color"], shadow=HALO),
            )
        )
        fig.add_trace(
            go.Choropleth(
                geojson=boundaries,
                featureidkey="properties.area_code",
                locations=list(drawn.place_code),
                z=drawn[measure].astype(float),
                zmin=low,
                zmax=high,
                colorscale=SEQUENTIAL,
                colorbar=colorbar,
                marker=dict(line=dict(color="white", width=1)),
                text=drawn.place_name,
                customdata=drawn[measure],
                hovertemplate=hover,
            )
        )
        fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    else:
        sizes = 14 + 30 * (values.reindex(table.place_code).fillna(low) - low) / ((high - low) or 1)
        mid_lat = float(table.lat.mean()) if len(table) else 53.0
        lat_range = _padded(table.lat, 0.1)
        fig.add_trace(
            go.Scatter(
                x=list(table.lon),
                y=list(table.lat),
                mode="markers+text",
                showlegend=False,
                meta=PLACED_NAMES,
                textfont=dict(size=MAP_LABEL_SIZE),
                customdata=table[measure],
                hovertext=list(table.place_name),
                marker=dict(
                    size=list(sizes),
                    color=table[measure],
                    colorscale=SEQUENTIAL,
                    cmin=low,
                    cmax=high,
                    showscale=True,
                    colorbar=colorbar,
                    line=dict(width=1, color="#08306b"),
                ),
                hovertemplate="%{hovertext}<br>" + measure_label + ": %{customdata:,.1f}<extra></extra>",
            )
        )
        fig.update_xaxes(visible=False, range=_padded(table.lon, 0.15))
        fig.update_yaxes(visible=False, range=lat_range, scaleanchor="x", scaleratio=1 / np.cos(np.radians(mid_lat)))
    _frame(fig, title, source, MAP_HEIGHT)
    fig.update_layout(margin=MAP_MARGIN)
    place_scatter_labels(fig)
    place_map_labels(fig)
    if boundaries:
        fig.add_annotation(
            text=BOUNDARY_ATTRIBUTION,
            xref="paper",
            yref="paper",
            x=0,
            y=-0.02,
            yanchor="top",
            xanchor="left",
            showarrow=False,
            font=dict(size=11, color=MUTED),
            yshift=-50,
        )
    return fig


def _padded(values: pd.Series, share: float) -> list[float]:
    low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    pad = (high - low or 1) * share
    return [low - pad, high + pad]


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


# Bar charts: each name sits above its bar, starting at the plot's left edge, wrapped at BAR_NAME_WIDTH characters;
# a bar is BAR_THICKNESS of its row, the rest of the row is the name's. The bars get the chart's whole width, so a
# half-width chart (the place profile, about 400 px wide in a 1280 px window) keeps its names, numbers and source.
BAR_NAME_WIDTH = 38
BAR_THICKNESS = 0.5
BAR_NAME = "bar name"
BAR_SOURCE_WIDTH = 50


def bar_figure(
    table: pd.DataFrame, x: str, y: str, title: str, source: str, x_label: str, highlight: pd.Series | None = None
) -> go.Figure:
    """Horizontal bars, largest at the top, each named above its bar; highlighted bars in the accent colour.
    The bars are drawn at rows 0, 1, ... (the top one last); their names are the trace's hovertext."""
    ordered = table.sort_values(x)
    colours = [HIGHLIGHT if highlight is not None and highlight.get(i, False) else OKABE_ITO[4] for i in ordered.index]
    names = [str(name) for name in ordered[y]]
    wrapped = [wrap_label(name, BAR_NAME_WIDTH) for name in names]
    rows = list(range(len(names)))
    fig = go.Figure(
        go.Bar(
            x=ordered[x],
            y=rows,
            orientation="h",
            width=BAR_THICKNESS,
            marker_color=colours,
            text=[f"{v:,.0f}" for v in ordered[x]],
            textposition="outside",
            cliponaxis=False,
            hovertext=names,
            hovertemplate="%{hovertext}: %{x:,.0f}<extra></extra>",
        )
    )
    for row, name in zip(rows, wrapped):
        fig.add_annotation(
            text=name,
            x=0,
            xref="x",
            xanchor="left",
            y=row + BAR_THICKNESS / 2,
            yref="y",
            yanchor="bottom",
            yshift=2,
            showarrow=False,
            align="left",
            name=BAR_NAME,
        )
    longest = float(ordered[x].max()) if len(ordered) and ordered[x].notna().any() else 0.0
    # room beyond the longest bar for its number (plotly's own range leaves none, so "91" was cut to "9")
    fig.update_xaxes(title=x_label, gridcolor="#eeeeee", range=[0, (longest or 1) * 1.15])
    fig.update_yaxes(visible=False, range=[-0.5 - BAR_THICKNESS / 2, len(rows) - 0.5], fixedrange=True)
    lines = max((name.count("<br>") + 1 for name in wrapped), default=1)
    # a row: the name's lines and the bar (BAR_THICKNESS of it), so the name never reaches the bar above
    row_px = (lines * FONT["size"] * LINE_HEIGHT + 8) / (1 - BAR_THICKNESS)
    fig = _frame(
        fig, title, source, max(300, int(60 + row_px * (len(rows) + 0.5) + 110)), source_width=BAR_SOURCE_WIDTH
    )
    for note in fig.layout.annotations:  # a clear gap between the axis title and the source line below it
        if note.name == SOURCE_NOTE:
            note.yshift = (note.yshift or 0) - 10
    fig.update_layout(margin=dict(b=(fig.layout.margin.b or 70) + 10))
    return fig


def totals_figure(figures: list[tuple[str, str]], title: str, source: str) -> go.Figure:
    """Headline numbers as large tiles (rows of three), one per (label, formatted value), for slides and images."""
    fig = go.Figure()
    per_row = 3
    rows = max(1, -(-len(figures) // per_row))
    for n, (label, value) in enumerate(figures):
        row, column = divmod(n, per_row)
        left, right = column / per_row, (column + 1) / per_row
        top, bottom = 1 - row / rows, 1 - (row + 1) / rows
        fig.add_shape(
            type="rect",
            xref="paper",
            yref="paper",
            x0=left + 0.015,
            x1=right - 0.015,
            y0=bottom + 0.03,
            y1=top - 0.03,
            line=dict(color="#c6dbef", width=2),
            fillcolor="#f7fbff",
        )
        middle = (top + bottom) / 2
        # centred on the tile whatever its column (plotly's "auto" anchor would align the outer columns' text to
        # the tile's middle by its left or right end), and the number above the label by pixels, not by a share
        # of the height, so that no slide height brings the two together
        fig.add_annotation(
            text=f"<b>{value}</b>",
            xref="paper",
            yref="paper",
            x=(left + right) / 2,
            xanchor="center",
            y=middle,
            yanchor="bottom",
            yshift=2,
            showarrow=False,
            font=dict(size=36, color="#08306b"),
        )
        fig.add_annotation(
            text=label,
            xref="paper",
            yref="paper",
            x=(left + right) / 2,
            xanchor="center",
            y=middle,
            yanchor="top",
            yshift=-6,
            showarrow=False,
            font=dict(size=19, color=FONT["color"]),
        )
    fig.update_xaxes(visible=False, range=[0, 1])
    fig.update_yaxes(visible=False, range=[0, 1])
    return _frame(fig, title, source, 200 + 160 * rows)


def projector_figure(fig: go.Figure) -> go.Figure:
    """A copy of a chart with larger type and height, readable from the back of a board room."""
    big = go.Figure(fig)
    big.update_layout(
        font=dict(size=20),
        height=max(int((fig.layout.height or 450) * 1.35), 560),
        title=dict(font=dict(size=26)),
        margin=dict(b=120),
    )
    # Set explicitly: the dashboard's chart theme would otherwise draw axis labels small and light.
    big.update_xaxes(tickfont=dict(size=18, color=FONT["color"]), title_font=dict(size=19, color=FONT["color"]))
    big.update_yaxes(tickfont=dict(size=18, color=FONT["color"]), title_font=dict(size=19, color=FONT["color"]))
    big.update_traces(textfont=dict(size=20), selector=dict(type="heatmap"))
    for trace in big.data:  # larger type: column headings wrapped narrower so neighbours do not touch
        if trace.type == "heatmap" and any("<br>" in str(x) for x in trace.x):
            trace.x = [wrap_label(str(x).replace("<br>", " "), PROJECTOR_HEADING_WIDTH) for x in trace.x]
    big.update_traces(textfont=dict(size=18), selector=dict(type="scatter"))
    big.update_traces(textfont=dict(size=18), selector=dict(type="bar"))
    for annotation in big.layout.annotations:
        annotation.font.size = max(int((annotation.font.size or 14) * 1.3), 15)
    if any(trace.type == "heatmap" for trace in big.data):  # headings a little smaller than the cells' numbers
        big.update_xaxes(tickfont=dict(size=16))
    _heading_room(big)
    legend_room(big)
    place_scatter_labels(big)
    place_source(big)
    return place_map_labels(big)  # last: the margins are set


# Column headings on a projected heatmap are wrapped at this many characters (18 px type).
PROJECTOR_HEADING_WIDTH = 11


def table_figure(table: pd.DataFrame, title: str, source: str) -> go.Figure:
    """A table drawn as a chart, for slides whose content is a list (the native table sits beside it)."""
    shown = table.astype(object).where(table.notna(), "")
    for column in table.columns:  # dates as dates: "2024-05-31", not "2024-05-31 00:00:00"
        if pd.api.types.is_datetime64_any_dtype(table[column]):
            shown[column] = [v.date().isoformat() if v != "" else "" for v in shown[column]]
    cells = [shown[c].astype(str).tolist() for c in shown.columns]
    headers = [str(c).replace("_", " ").capitalize() for c in shown.columns]
    # Plotly wraps a long cell onto more lines and the row grows: the figure is made tall enough for the rows as
    # they will be drawn on the narrowest image (a 1200 px download), so the last rows are not cut off.
    column_chars = max(8.0, (1200 - 20) / max(len(cells), 1) / (0.55 * 13) - 2)
    lines = [max([1] + [-(-len(column[n]) // int(column_chars)) for column in cells]) for n in range(len(shown))]
    header_lines = max([1] + [-(-len(h) // int(column_chars)) for h in headers])
    rows_height = sum(max(28, 8 + 17 * n) for n in lines) + max(28, 8 + 18 * header_lines)
    fig = go.Figure(
        go.Table(
            header=dict(values=headers, fill_color="#deebf7", align="left", font=dict(size=14, color="#08306b")),
            cells=dict(
                values=cells, align="left", height=28, font=dict(size=13), fill_color="white", line_color="#dddddd"
            ),
        )
    )
    return _frame(fig, title, source, max(320, 150 + rows_height))


def annotations_without_source(fig: go.Figure) -> tuple[list, int]:
    """A chart's annotations for a slide, which shows the source line itself: every one but the source line, the
    map's boundary attribution once and directly under the chart; and the bottom margin they need in pixels."""
    kept = [a for a in fig.layout.annotations if not _plain_label(a.text).startswith("Source:")]
    attribution = [a for a in kept if a.text == BOUNDARY_ATTRIBUTION][:1]
    for note in attribution:  # the OS/ONS licence asks for it wherever the boundaries are shown
        note.update(yshift=0)
    return [a for a in kept if a.text != BOUNDARY_ATTRIBUTION] + attribution, 50 if attribution else 30


def _plain_label(label: object) -> str:
    return " ".join(str(label).replace("<br>", " ").split())


def fit_to_box(fig: go.Figure, width: int, height: int, font: int = 18, min_font: int = 13) -> go.Figure:
    """A copy of a chart laid out for a box `width` x `height` CSS px (a slide's chart box, presentation mode).
    A heatmap: column headings re-wrapped to their column's width (they wrap, never overlap), type no larger than
    the rows leave room for, and the top margin as tall as the headings. A map's or a scatter plot's names placed
    again for the box, a scatter plot's axis title wrapped to its height; a table's type as large as its rows
    leave room for. Other charts are returned as they are."""
    if any(trace.type == "scattergeo" and trace.meta == MAP_NAMES for trace in fig.data):
        return place_map_labels(go.Figure(fig), width)
    if any(trace.type == "scatter" and trace.meta == PLACED_NAMES for trace in fig.data):
        return _fit_scatter(go.Figure(fig), height)
    if any(trace.type == "table" for trace in fig.data):
        return _fit_table(go.Figure(fig), width, height, font, min_font)
    if not any(trace.type == "heatmap" for trace in fig.data):
        return fig
    fitted = go.Figure(fig)
    heat = [trace for trace in fitted.data if trace.type == "heatmap"]
    columns = [str(c) for c in heat[0].x]
    headings = [_plain_label(r) for r in heat[0].y]
    plot_rows = max(len(headings), 1)
    longest = max((len(w) for c in columns for w in _plain_label(c).split()), default=1)
    # Larger type first; at each size, row headings on longer lines first (fewer lines, less height).
    colour_bar = 120 if any(t.showscale is not False for t in heat[:1]) else 0
    candidates = []
    for size, row_width in [(s, w) for s in range(font, min_font - 1, -1) for w in (ROW_LABEL_WIDTH, 24, 18)]:
        rows = [wrap_label(r, row_width) for r in headings]
        row_lines = max((r.count("<br>") + 1 for r in rows), default=1)
        row_chars = max((len(line) for r in rows for line in r.split("<br>")), default=1)
        plot_width = width - row_chars * size * 0.55 - 50 - colour_bar  # row headings, axis title, colour bar
        column_px = max(plot_width / max(len(columns), 1), 40)
        chars = max(int(column_px / (size * 0.58)), longest)
        wrapped = [wrap_label(_plain_label(c), chars) for c in columns]
        lines = max((w.count("<br>") + 1 for w in wrapped), default=1)
        header = lines * size * 1.3 + 24
        row_px = (height - header - 30) / plot_rows
        columns_fit, rows_fit = longest * size * 0.58 <= column_px, row_px >= row_lines * size * 1.25
        candidates.append(
            (
                not (columns_fit and rows_fit),
                not columns_fit,
                row_lines * size * 1.25 - row_px,
                -size,
                size,
                rows,
                wrapped,
                header,
            )
        )
    # the largest type at which headings neither overlap nor crowd the rows; failing that, the least crowded
    *_, size, rows, wrapped, header = min(candidates, key=lambda c: c[:4])
    for trace in fitted.data:
        if trace.type == "heatmap":
            trace.x, trace.y = wrapped, rows
            trace.textfont.size = size + 1
    fitted.update_xaxes(tickfont=dict(size=size))
    # every row named: plotly leaves out category labels it thinks crowded
    fitted.update_yaxes(
        tickfont=dict(size=size), title_font=dict(size=size), tickmode="array", tickvals=rows, ticktext=rows
    )
    title_room = 60 if fitted.layout.title.text else 0
    fitted.update_layout(height=height, margin=dict(t=int(header) + title_room, b=30))
    fitted.update_traces(
        colorbar=dict(tickfont=dict(size=size), title=dict(font=dict(size=size))), selector=dict(type="heatmap")
    )
    return fitted


def _fit_scatter(fig: go.Figure, height: int) -> go.Figure:
    """The y axis's title wrapped to the plot's height (it is written sideways), and the names placed again."""
    margin = fig.layout.margin
    size = fig.layout.yaxis.title.font.size or fig.layout.font.size or FONT["size"]
    plot = height - (margin.t or 0) - (margin.b or 0)
    title = _plain_label(fig.layout.yaxis.title.text or "")
    fig.update_yaxes(title_text=wrap_label(title, max(12, int(plot / (size * 0.58)))))
    return place_scatter_labels(fig)


def _fit_table(fig: go.Figure, width: int, height: int, font: int, min_font: int) -> go.Figure:
    """A table's type as large as lets every row, wrapped in its column, fit the height (plotly would otherwise
    scroll a table inside itself, and a picture of it cuts the last rows off)."""
    table = next(trace for trace in fig.data if trace.type == "table")
    columns = [[str(v) for v in column] for column in table.cells.values]
    headers = [str(h) for h in table.header.values]
    room = height - (fig.layout.margin.t or 0) - (fig.layout.margin.b or 0)
    for size in range(font, min_font - 1, -1):
        chars = max(6, int((width - 20) / max(len(columns), 1) / (size * 0.55)) - 2)

        def lines(text: str) -> int:
            return max(1, len(wrap_label(text, chars).split("<br>")))

        rows = [max(lines(column[n]) for column in columns) for n in range(len(columns[0]) if columns else 0)]
        row_heights = [int(n * size * LINE_HEIGHT + 10) for n in rows]
        header = int(max((lines(h) for h in headers), default=1) * size * LINE_HEIGHT + 12)
        if header + sum(row_heights) <= room:
            break
    table.cells.font.size, table.header.font.size = size, size + 1
    table.cells.height, table.header.height = int(size * LINE_HEIGHT + 10), header
    return fig


def heatmap_parts(fig: go.Figure, most_rows: int) -> list[go.Figure]:
    """A heatmap with more than `most_rows` rows as several figures of balanced parts (rows in order), every
    part on the whole heatmap's colour scale; any other chart, or a short heatmap, is one part."""
    heat = [trace for trace in fig.data if trace.type == "heatmap"]
    count = len(heat[0].y) if heat else 0
    if count <= most_rows:
        return [fig]
    parts = -(-count // most_rows)
    size = -(-count // parts)
    scales = {}
    for n, trace in enumerate(fig.data):
        if trace.type == "heatmap":
            z = np.array(trace.z, dtype=float)
            scales[n] = (
                trace.zmin if trace.zmin is not None else np.nanmin(z),
                trace.zmax if trace.zmax is not None else np.nanmax(z),
            )
    found = []
    for start in range(0, count, size):
        part = go.Figure(fig)
        for n, trace in enumerate(part.data):
            if trace.type != "heatmap":
                continue
            for name in ("z", "y", "text", "customdata"):
                values = getattr(trace, name)
                if values is not None and len(values) == count:
                    setattr(trace, name, list(values)[start : start + size])
            low, high = scales[n]
            trace.zmin, trace.zmax, trace.zauto = float(np.nan_to_num(low)), float(np.nan_to_num(high, nan=1.0)), False
        found.append(part)
    return found


def screen_figure(fig: go.Figure) -> go.Figure:
    """The figure for the screen, where the viewer's light or dark theme colours it: a copy without the white
    background and the fixed dark text that image downloads and board packs keep. Cell colours, the orange of thin
    and empty cells and the data colours stay as they are."""
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
