"""The map of the places: the boundary file, read and checked, and the choropleth (or centre points) drawn from it."""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from strategy.build.reference import reference_dir
from strategy.charts.common import FONT, MUTED, SEQUENTIAL, _frame, wrap_label
from strategy.charts.labels import (
    MAP_HEIGHT,
    MAP_LABEL_SIZE,
    MAP_NAMES,
    PLACED_NAMES,
    place_map_labels,
    place_scatter_labels,
)

BOUNDARY_ATTRIBUTION = "Contains OS data © Crown copyright and database right 2019; ONS, Open Government Licence v3.0"


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
