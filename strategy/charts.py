"""Pure chart functions: a DataFrame in, a plotly Figure out. Used by the pages and by every export."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from strategy.analysis import DIMENSION_NAMES, MEASURES, THIN_CELL

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


def place_map_figure(table: pd.DataFrame, measure: str, measure_label: str, title: str, source: str,
                     boundaries: dict | None = None) -> go.Figure:
    """A map of the places coloured by a measure: filled boundaries when given, else circles at ONS centroids.

    Drawn on plain longitude/latitude axes so it needs no map tiles or network, in the app and in exports.
    """
    fig = go.Figure()
    values = table.set_index("place_code")[measure]
    low, high = float(np.nanmin(values)) if len(values) else 0.0, float(np.nanmax(values)) if len(values) else 1.0
    if boundaries:
        for feature in boundaries["features"]:
            code = feature["properties"].get("area_code")
            if code not in values.index:
                continue
            colour = _sequential_colour(values[code], low, high)
            for ring in _outer_rings(feature["geometry"]):
                xs, ys = zip(*ring)
                fig.add_trace(go.Scatter(x=xs, y=ys, fill="toself", fillcolor=colour, mode="lines",
                                         line=dict(color="white", width=1), hoverinfo="skip", showlegend=False))
    sizes = 18 if boundaries else 14 + 30 * (values - low) / ((high - low) or 1)
    fig.add_trace(go.Scatter(
        x=table.lon, y=table.lat, mode="markers+text", text=table.place_name, textposition="top center",
        customdata=np.stack([table[measure]], axis=-1),
        marker=dict(size=sizes if not boundaries else 6, color=table[measure], colorscale=SEQUENTIAL,
                    cmin=low, cmax=high, showscale=True, colorbar=dict(title=dict(text=measure_label), thickness=14),
                    line=dict(width=1, color="#08306b")),
        hovertemplate="%{text}<br>" + measure_label + ": %{customdata[0]:,.1f}<extra></extra>", showlegend=False,
    ))
    mid_lat = float(table.lat.mean()) if len(table) else 53.0
    fig.update_xaxes(visible=False)
    fig.update_yaxes(visible=False, scaleanchor="x", scaleratio=1 / np.cos(np.radians(mid_lat)))
    return _frame(fig, title, source, 640)


def _sequential_colour(value: float, low: float, high: float) -> str:
    if value is None or np.isnan(value):
        return "#dddddd"
    position = 0.0 if high == low else (value - low) / (high - low)
    stops = SEQUENTIAL
    for (p0, c0), (p1, c1) in zip(stops, stops[1:]):
        if position <= p1:
            t = (position - p0) / (p1 - p0)
            rgb = [round(int(c0[i:i + 2], 16) * (1 - t) + int(c1[i:i + 2], 16) * t) for i in (1, 3, 5)]
            return "#" + "".join(f"{v:02x}" for v in rgb)
    return stops[-1][1]


def _outer_rings(geometry: dict) -> list[list]:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"][0]]
    if geometry["type"] == "MultiPolygon":
        return [polygon[0] for polygon in geometry["coordinates"]]
    return []


def read_boundaries(path: str | Path | None) -> dict | None:
    """A boundary GeoJSON (features with an 'area_code' property), or None when no path is configured."""
    if not path or not Path(path).exists():
        return None
    return json.loads(Path(path).read_text(encoding="utf-8"))


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


def screen_figure(fig: go.Figure) -> go.Figure:
    """The figure for the screen, where the viewer's light or dark theme colours it: a copy without the white
    background and the fixed dark text that image downloads and board packs keep. Cell colours, the orange of thin
    and empty cells and the data colours stay as they are."""
    shown = go.Figure(fig)
    shown.update_layout(paper_bgcolor="rgba(0,0,0,0)", plot_bgcolor="rgba(0,0,0,0)", font_color=None,
                        title_font_color=None)
    shown.update_xaxes(gridcolor=None, tickfont_color=None, title_font_color=None)
    shown.update_yaxes(gridcolor=None, tickfont_color=None, title_font_color=None)
    for annotation in shown.layout.annotations or ():
        if annotation.font and annotation.font.color in (MUTED, FONT["color"]):
            annotation.font.color = None
    return shown
