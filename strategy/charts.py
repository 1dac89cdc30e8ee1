"""Pure chart functions: a DataFrame in, a plotly Figure out. Used by the pages and by every export."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from strategy.analysis import DIMENSION_NAMES, MEASURES, THIN_CELL
from strategy.reference import REFERENCE_DIR

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
        title=dict(text=title, x=0, xanchor="left", font=dict(size=19)),
        font=FONT, height=height, margin=dict(l=10, r=10, t=60, b=70), paper_bgcolor="white",
        plot_bgcolor="white", colorway=OKABE_ITO,
    )
    fig.add_annotation(text=wrap_label(source, source_width), xref="paper", yref="paper", x=0, y=-0.02, yanchor="top",
                       xanchor="left", showarrow=False, font=dict(size=12, color=MUTED), yshift=-30, align="left")
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
    column_words = dict(zip(cells.column_label, cells.column_wording if "column_wording" in cells
                            else cells.column_label))
    wording = [[f"{wrap_label(row_words[r], 60)}<br>{wrap_label(column_words[c], 60)}" for c in columns]
               for r in rows]
    rows = row_ticks
    fig = go.Figure()
    fig.add_trace(go.Heatmap(
        z=np.where(is_empty, np.nan, values), x=column_ticks, y=rows, text=np.where(is_empty | is_thin, "", text),
        texttemplate="%{text}", customdata=wording,
        colorscale=SEQUENTIAL, zmin=0, xgap=2, ygap=2, textfont=dict(size=14),
        colorbar=dict(title=dict(text=MEASURES[measure]), thickness=14),
        hovertemplate="%{customdata}<br>" + MEASURES[measure] + ": %{text}<extra></extra>",
    ))
    if is_thin.any():  # thin cells keep their colour but their number turns the accent colour and bold
        fig.add_trace(go.Heatmap(
            z=np.where(is_thin, values, np.nan), x=column_ticks, y=rows, text=np.where(is_thin, text, ""),
            texttemplate="<b>%{text}</b>", colorscale=SEQUENTIAL, zmin=0, zmax=np.nanmax(values) or 1,
            showscale=False, xgap=2, ygap=2, textfont=dict(size=14, color=HIGHLIGHT), customdata=wording,
            hovertemplate="%{customdata}<br>" + MEASURES[measure] + ": %{text} (thin)<extra></extra>",
        ))
    if is_empty.any():  # a second layer so empty cells are tinted, labelled and never read as "low"
        fig.add_trace(go.Heatmap(
            z=np.where(is_empty, 1.0, np.nan), x=column_ticks, y=rows, text=np.where(is_empty, "none", ""),
            texttemplate="%{text}",
            colorscale=[[0, EMPTY_CELL], [1, EMPTY_CELL]], showscale=False, xgap=2, ygap=2,
            textfont=dict(size=14, color=HIGHLIGHT), customdata=wording,
            hovertemplate="%{customdata}<br>no activity<extra></extra>",
        ))
    fig.update_yaxes(autorange="reversed", title=DIMENSION_NAMES[cells.attrs.get("rows", "aim")], showgrid=False)
    fig.update_xaxes(side="top", title=None, showgrid=False, tickangle=0)
    row_height = 54 if any("<br>" in r for r in rows) else 40  # room for headings wrapped onto two lines
    _frame(fig, title, source, max(340, 120 + row_height * len(rows)), source_width=50 if compact else 95)
    fig.update_layout(margin=dict(t=110))
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
    effort_label = {"investment_per_head": "Investment per head (£)",
                    "activities_per_100k": "Activities per 100,000 people"}[effort]
    fig = go.Figure()
    for flagged, colour, name in ((False, OKABE_ITO[4], "Other places"),
                                  (True, HIGHLIGHT, "High need, low effort")):
        part = table[table.high_need_low_effort == flagged]
        fig.add_trace(go.Scatter(
            x=part.inactive_pct, y=part[effort], mode="markers+text", name=name, text=part.place_name,
            textposition="top center", marker=dict(size=14, color=colour, symbol="diamond" if flagged else "circle",
                                                   line=dict(width=1, color="white")),
            hovertemplate="%{text}<br>Inactive adults: %{x:.1f}%<br>" + effort_label + ": %{y:,.1f}<extra></extra>",
        ))
    if len(table) and "typical_inactive_pct" in table:  # the partnership-wide yardstick (analysis.need_vs_effort)
        fig.add_vline(x=table.typical_inactive_pct.iloc[0], line=dict(color=MUTED, dash="dot"))
        fig.add_hline(y=table[f"typical_{effort}"].iloc[0], line=dict(color=MUTED, dash="dot"),
                      annotation_text="typical: middle of all the partnership's places",
                      annotation_position="top right", annotation_font=dict(size=12, color=MUTED))
    elif len(table):
        fig.add_vline(x=table.inactive_pct.median(), line=dict(color=MUTED, dash="dot"))
        fig.add_hline(y=table[effort].median(), line=dict(color=MUTED, dash="dot"))
    fig.update_xaxes(title="Adults inactive (%, latest Active Lives) — more need →", gridcolor="#eeeeee")
    fig.update_yaxes(title=effort_label + " — more effort →", gridcolor="#eeeeee", rangemode="tozero")
    fig.update_layout(legend=dict(orientation="h", y=1.02, yanchor="bottom", x=1, xanchor="right"))
    return _frame(fig, title, source, 520)


BOUNDARIES_FILE = REFERENCE_DIR / "nottinghamshire_derbyshire_lad_dec2019_buc.geojson"
BOUNDARY_ATTRIBUTION = "Contains OS data © Crown copyright and database right 2019; ONS, Open Government Licence v3.0"
MAP_HEIGHT = 640
MAP_LABEL_SIZE = 12
# Room for the title above and the source and attribution lines below the map, in pixels.
MAP_MARGIN = dict(l=10, r=10, t=60, b=90)


class BoundaryFileError(ValueError):
    """The boundary file exists but cannot be used; the message says which file and what is wrong."""


def boundaries_path() -> Path:
    """The boundary GeoJSON the map draws: STRATEGY_BOUNDARIES when set, else the one shipped in data/reference."""
    chosen = os.environ.get("STRATEGY_BOUNDARIES", "").strip()
    return Path(chosen) if chosen else BOUNDARIES_FILE


def read_boundaries(path: str | Path | None = None) -> dict | None:
    """The boundary GeoJSON (features with an 'area_code' property), or None when the file is missing (the map
    then draws centre points). A file that exists but is not such a GeoJSON is a BoundaryFileError."""
    path = Path(path) if path else boundaries_path()
    if not path.is_file():
        return None
    try:
        geojson = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as problem:
        raise BoundaryFileError(f"The boundary file {path} could not be read as GeoJSON ({problem}).") from problem
    features = geojson.get("features") if isinstance(geojson, dict) else None
    if not features or not all(isinstance(f, dict) and (f.get("properties") or {}).get("area_code")
                               and (f.get("geometry") or {}).get("type") in ("Polygon", "MultiPolygon")
                               for f in features):
        raise BoundaryFileError(f"The boundary file {path} is not a GeoJSON FeatureCollection whose features are "
                                "polygons with an 'area_code' property (the ONS code of each area).")
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
        coordinates = polygon(geometry["coordinates"]) if geometry["type"] == "Polygon" else \
            [polygon(p) for p in geometry["coordinates"]]
        features.append({**feature, "geometry": {**geometry, "coordinates": coordinates}})
    return {**geojson, "features": features}


def place_map_figure(table: pd.DataFrame, measure: str, measure_label: str, title: str, source: str,
                     boundaries: dict | None = None) -> go.Figure:
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
    drawn = table[table.place_code.isin([f["properties"]["area_code"] for f in boundaries["features"]])] \
        if boundaries else table
    if boundaries:
        # The names go first: plotly.js decides from the first trace on a map whether to fetch its world outline
        # from the internet, and a trace of points needs none (tested: the map draws with no network).
        points = _projected(drawn.lon, drawn.lat, boundaries)
        positions = _label_positions(points, list(drawn.place_name), MAP_LABEL_SIZE, centred=True)
        fig.add_trace(go.Scattergeo(
            lon=drawn.lon, lat=drawn.lat, mode="text", text=[n if p else "" for n, p in zip(drawn.place_name,
                                                                                           positions)],
            textposition=[p or "middle center" for p in positions], hoverinfo="skip", showlegend=False,
            textfont=dict(size=MAP_LABEL_SIZE, color=FONT["color"], shadow="0px 0px 3px white")))
        fig.add_trace(go.Choropleth(
            geojson=boundaries, featureidkey="properties.area_code", locations=drawn.place_code,
            z=drawn[measure].astype(float), zmin=low, zmax=high, colorscale=SEQUENTIAL, colorbar=colorbar,
            marker=dict(line=dict(color="white", width=1)), text=drawn.place_name, customdata=drawn[measure],
            hovertemplate=hover))
        fig.update_geos(fitbounds="locations", visible=False, projection_type="mercator")
    else:
        sizes = 14 + 30 * (values.reindex(table.place_code).fillna(low) - low) / ((high - low) or 1)
        mid_lat = float(table.lat.mean()) if len(table) else 53.0
        lat_range = _padded(table.lat, 0.1)
        pixels = (MAP_HEIGHT - MAP_MARGIN["t"] - MAP_MARGIN["b"]) / ((lat_range[1] - lat_range[0]) or 1)
        points = list(zip(table.lon * np.cos(np.radians(mid_lat)) * pixels, table.lat * pixels))
        positions = _label_positions(points, list(table.place_name), MAP_LABEL_SIZE, centred=False,
                                     radii=list(sizes / 2))
        fig.add_trace(go.Scatter(
            x=table.lon, y=table.lat, mode="markers+text", showlegend=False,
            text=[n if p else "" for n, p in zip(table.place_name, positions)],
            textposition=[p or "top center" for p in positions], textfont=dict(size=MAP_LABEL_SIZE),
            customdata=table[measure], hovertext=table.place_name,
            marker=dict(size=list(sizes), color=table[measure], colorscale=SEQUENTIAL, cmin=low, cmax=high,
                        showscale=True, colorbar=colorbar, line=dict(width=1, color="#08306b")),
            hovertemplate="%{hovertext}<br>" + measure_label + ": %{customdata:,.1f}<extra></extra>"))
        fig.update_xaxes(visible=False, range=_padded(table.lon, 0.12))
        fig.update_yaxes(visible=False, range=lat_range, scaleanchor="x",
                         scaleratio=1 / np.cos(np.radians(mid_lat)))
    _frame(fig, title, source, MAP_HEIGHT)
    fig.update_layout(margin=MAP_MARGIN)
    if boundaries:
        fig.add_annotation(text=BOUNDARY_ATTRIBUTION, xref="paper", yref="paper", x=0, y=-0.02, yanchor="top",
                           xanchor="left", showarrow=False, font=dict(size=11, color=MUTED), yshift=-50)
    return fig


def _padded(values: pd.Series, share: float) -> list[float]:
    low, high = (float(values.min()), float(values.max())) if len(values) else (0.0, 1.0)
    pad = (high - low or 1) * share
    return [low - pad, high + pad]


def _projected(lon: pd.Series, lat: pd.Series, boundaries: dict) -> list[tuple[float, float]]:
    """Points in the map's own proportions (Mercator, scaled so the boundaries' height is the map's)."""
    def mercator(latitude):
        return np.degrees(np.log(np.tan(np.pi / 4 + np.radians(np.asarray(latitude, dtype=float)) / 2)))

    lats = [y for feature in boundaries["features"] for ring in _outer_rings(feature["geometry"]) for _, y in ring]
    bottom, top = (mercator(min(lats)), mercator(max(lats))) if lats else (0.0, 1.0)
    pixels = (MAP_HEIGHT - MAP_MARGIN["t"] - MAP_MARGIN["b"]) / ((top - bottom) or 1)
    return list(zip(np.asarray(lon, dtype=float) * pixels, (mercator(lat) - bottom) * pixels))


# Where a name may sit against its point, in order of preference, as (plotly position, x side, y side).
_AROUND = [("top center", 0, 1), ("bottom center", 0, -1), ("middle right", 1, 0), ("middle left", -1, 0),
           ("top right", 1, 1), ("top left", -1, 1), ("bottom right", 1, -1), ("bottom left", -1, -1)]


def _label_positions(points: list[tuple[float, float]], labels: list[str], size: float, centred: bool,
                     radii: list[float] | None = None) -> list[str | None]:
    """A text position for each label so that no two labels overlap (None: leave that label off).

    points are in pixels (y up); text widths are estimated from the font size (0.55 em a character, as Arial's
    average), which is what lets a figure be laid out before it is drawn. Names are placed from the first to the
    last in the order given, each at its first free position (the area's centre first for a choropleth).
    """
    # a circle's own box is in the way of every other circle's name
    placed = [(x - r, x + r, y - r, y + r) for (x, y), r in zip(points, radii)] if radii else []
    positions: list[str | None] = []
    gap = 3.0
    for n, ((x, y), label) in enumerate(zip(points, labels)):
        width, height = 0.55 * size * len(label) + gap, 1.25 * size + gap
        radius = (radii[n] if radii else 0.0) + 2
        options = ([("middle center", 0, 0)] if centred else []) + _AROUND
        chosen = None
        for name, side_x, side_y in options:
            cx = x + side_x * (radius + width / 2)
            cy = y + side_y * (radius + height / 2)
            box = (cx - width / 2, cx + width / 2, cy - height / 2, cy + height / 2)
            if not any(box[0] < b[1] and b[0] < box[1] and box[2] < b[3] and b[2] < box[3] for b in placed):
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


def bar_figure(table: pd.DataFrame, x: str, y: str, title: str, source: str, x_label: str,
               highlight: pd.Series | None = None) -> go.Figure:
    """Horizontal bars, largest at the top; highlighted bars in the accent colour."""
    ordered = table.sort_values(x)
    colours = [HIGHLIGHT if highlight is not None and highlight.get(i, False) else OKABE_ITO[4]
               for i in ordered.index]
    fig = go.Figure(go.Bar(x=ordered[x], y=ordered[y], orientation="h", marker_color=colours,
                           text=[f"{v:,.0f}" for v in ordered[x]], textposition="outside"))
    fig.update_xaxes(title=x_label, gridcolor="#eeeeee")
    fig.update_yaxes(title=None)
    return _frame(fig, title, source, max(320, 60 + 28 * len(ordered)))


def totals_figure(figures: list[tuple[str, str]], title: str, source: str) -> go.Figure:
    """Headline numbers as large tiles (rows of three), one per (label, formatted value), for slides and images."""
    fig = go.Figure()
    per_row = 3
    rows = max(1, -(-len(figures) // per_row))
    for n, (label, value) in enumerate(figures):
        row, column = divmod(n, per_row)
        left, right = column / per_row, (column + 1) / per_row
        top, bottom = 1 - row / rows, 1 - (row + 1) / rows
        fig.add_shape(type="rect", xref="paper", yref="paper", x0=left + 0.015, x1=right - 0.015,
                      y0=bottom + 0.03, y1=top - 0.03, line=dict(color="#c6dbef", width=2), fillcolor="#f7fbff")
        middle = (top + bottom) / 2
        fig.add_annotation(text=f"<b>{value}</b>", xref="paper", yref="paper", x=(left + right) / 2,
                           y=middle + 0.06, showarrow=False, font=dict(size=36, color="#08306b"))
        fig.add_annotation(text=label, xref="paper", yref="paper", x=(left + right) / 2, y=middle - 0.1,
                           showarrow=False, font=dict(size=19, color=FONT["color"]))
    fig.update_xaxes(visible=False, range=[0, 1])
    fig.update_yaxes(visible=False, range=[0, 1])
    return _frame(fig, title, source, 200 + 160 * rows)


def projector_figure(fig: go.Figure) -> go.Figure:
    """A copy of a chart with larger type and height, readable from the back of a board room."""
    big = go.Figure(fig)
    big.update_layout(font=dict(size=20), height=max(int((fig.layout.height or 450) * 1.35), 560),
                      title=dict(font=dict(size=26)), margin=dict(b=120))
    # Set explicitly: the dashboard's chart theme would otherwise draw axis labels small and light.
    big.update_xaxes(tickfont=dict(size=18, color=FONT["color"]), title_font=dict(size=19, color=FONT["color"]))
    big.update_yaxes(tickfont=dict(size=18, color=FONT["color"]), title_font=dict(size=19, color=FONT["color"]))
    big.update_traces(textfont=dict(size=20), selector=dict(type="heatmap"))
    if any(trace.type == "heatmap" for trace in big.data):
        big.update_layout(margin=dict(t=170))  # room for the title above the wrapped column labels
    big.update_traces(textfont=dict(size=18), selector=dict(type="scatter"))
    big.update_traces(textfont=dict(size=18), selector=dict(type="bar"))
    for annotation in big.layout.annotations:
        annotation.font.size = max(int((annotation.font.size or 14) * 1.3), 15)
    return big


def table_figure(table: pd.DataFrame, title: str, source: str) -> go.Figure:
    """A table drawn as a chart, for slides whose content is a list (the native table sits beside it)."""
    shown = table.astype(object).where(table.notna(), "")
    fig = go.Figure(go.Table(
        header=dict(values=[str(c).replace("_", " ").capitalize() for c in shown.columns], fill_color="#deebf7",
                    align="left", font=dict(size=14, color="#08306b")),
        cells=dict(values=[shown[c].astype(str).tolist() for c in shown.columns], align="left", height=28,
                   font=dict(size=13), fill_color="white", line_color="#dddddd"),
    ))
    return _frame(fig, title, source, max(320, 140 + 30 * len(shown)))
