"""What every chart shares: the colours, the type, the frame (title and source line under the plot), room for
the legend and the headings, and tick labels wrapped onto lines."""

from __future__ import annotations

import plotly.graph_objects as go
import plotly.io as pio

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
    with_plotly_template(fig)
    fig.update_layout(
        # the title sits at the top (not in the middle of the top margin, plotly's default), clear of headings
        title=dict(text=title, x=0, xanchor="left", y=1, yanchor="top", font=dict(size=19), pad=dict(l=10, t=14)),
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


def with_plotly_template(fig: go.Figure) -> go.Figure:
    """fig with plotly's own template, named: importing Streamlit makes its template the default, which has no axis
    automargin, so a pack built by the server would otherwise clip labels that one built by the CLI does not.

    Set as plotly sets a new figure's default template, without validating it again: a registered template is
    valid, and validating its copy (`update_layout(template="plotly")`) took 9-12 ms of every chart built, against
    under 1 ms. tests/unit/test_figure_shortcuts.py checks the two give the same figure."""
    layout = fig.layout
    layout._validate = False  # plotly's own switch, as in BaseFigure._initialize_layout_template
    try:
        layout.template = pio.templates["plotly"]
    finally:
        layout._validate = fig._validate
    return fig


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
