"""Every chart the dashboard and the board pack draw, drawn as SVG the way the downloads are (kaleido, Chromium),
then measured in Chromium: every text lies inside the image, no two texts overlap, and a number printed on a
heatmap cell fits inside its cell.

Text boxes are read from the browser (getBBox of each <text>, in the image's own units) rather than estimated
from the font size: an estimate cannot tell "9" from a clipped "91", and kaleido draws with the same font
metrics as the measurement here, so the check sees what a reader sees. A text drawn with a halo (the map's names)
is as large as its halo: two names whose halos run into each other read as one smudge.

Charts are drawn at the widths they really get: slides as the pack draws its pictures (slide_charts.picture_figures,
in the slide's chart box) and as presentation mode draws them; the Places page's map and its half-width bar chart
at the widths read from that page in Chromium at 1280 x 720.
"""

from __future__ import annotations

import importlib
import pkgutil

import pytest

from strategy import analysis, charts, images
from strategy.board import slides
from strategy.board.pack.deck import view_footer
from strategy.board.pack.layout import IMAGE_WIDTH, WIDESCREEN, view_layout
from strategy.board.pack.slide_charts import chart_kind, picture_figures
from strategy.filters import Filters
from strategy.indicators import trend_charts
from strategy.learning import charts as learning_charts
from strategy.learning import markers, network
from strategy.ui import presentation

# every module of the strategy.charts package, with the indicators' and the learning pages' chart modules
CHART_MODULES = (
    *(importlib.import_module(f"strategy.charts.{found.name}") for found in pkgutil.iter_modules(charts.__path__)),
    trend_charts,
    learning_charts,
)
# The widths charts are drawn at: slides at the slide width and as the presentation page's download; page charts
# as a download (images.figure_image); the Places page's charts also at the widths they get on that page at
# 1280 px (read from the page: see page_chart_widths), and the pack's pictures at their own width.
SLIDE_WIDTHS = (images.SLIDE_WIDTH, 1200)
PAGE_WIDTHS = (1200,)
PLACES_PAGE_CHARTS = {"map": "map investment_per_head", "bars": "activities by aim in a place"}
# Texts may touch: a box overlapping another by less than this (pixels, each way) is not a collision.
TOUCH = 1.5

MEASURE_TEXT = r"""
(svg) => {
  const canvas = svg.viewBox.baseVal && svg.viewBox.baseVal.width ? svg.viewBox.baseVal
                 : {x: 0, y: 0, width: svg.width.baseVal.value, height: svg.height.baseVal.value};
  const boxes = [];
  for (const text of svg.querySelectorAll('text')) {
    const words = (text.textContent || '').trim();
    if (!words || text.closest('defs') || getComputedStyle(text).display === 'none'
        || getComputedStyle(text).visibility === 'hidden' || text.getAttribute('opacity') === '0') continue;
    const b = text.getBoundingClientRect();
    if (!b.width || !b.height) continue;
    // a halo (text-shadow) is part of the name: as far as its furthest offset and blur reach
    let halo = 0;
    for (const part of (getComputedStyle(text).textShadow || 'none').split(/,(?![^(]*\))/)) {
      const lengths = (part.match(/-?[\d.]+px/g) || []).map(v => Math.abs(parseFloat(v)));
      if (lengths.length >= 3) halo = Math.max(halo, Math.max(lengths[0], lengths[1]) + lengths[2]);
    }
    const r = b;
    // A text inside a clipped layer (a plot area) is cut where it leaves the clip: "91" drawn as "9".
    let clip = null;
    for (let node = text; node && node !== svg; node = node.parentElement) {
      const url = node.getAttribute && node.getAttribute('clip-path');
      const id = url && url.match(/#([^)'"]+)/);
      if (id) {
        // the clip's rectangle is in the clipped element's own units: map its corners to the page
        const rect = svg.getElementById(id[1]) && svg.getElementById(id[1]).querySelector('rect');
        if (rect) {
          const m = node.getScreenCTM(), x = rect.x.baseVal.value, y = rect.y.baseVal.value;
          const a = new DOMPoint(x, y).matrixTransform(m);
          const b = new DOMPoint(x + rect.width.baseVal.value, y + rect.height.baseVal.value).matrixTransform(m);
          clip = {x0: Math.min(a.x, b.x), x1: Math.max(a.x, b.x), y0: Math.min(a.y, b.y), y1: Math.max(a.y, b.y)};
          break;
        }
      }
    }
    boxes.push({words, x0: r.left, x1: r.right, y0: r.top, y1: r.bottom, clip, halo});
  }
  const cells = [];
  for (const layer of svg.querySelectorAll('.heatmaplayer')) {
    const plot = layer.closest('.subplot, .plot') || layer;
    const image = layer.querySelector('image');
    if (image) { const r = image.getBoundingClientRect(); cells.push({x0: r.left, x1: r.right}); }
  }
  return {canvas: {width: canvas.width, height: canvas.height}, boxes, heatmaps: cells};
}
"""


def _public_figure_functions() -> set[str]:
    return {
        f"{module.__name__}.{name}"
        for module in CHART_MODULES
        for name in dir(module)
        if name.endswith("_figure")
        and not name.startswith("_")
        and callable(getattr(module, name))
        and getattr(getattr(module, name), "__module__", None) == module.__name__
    }


def _all_figures(
    con, framework, monkeypatch, page_widths: dict[str, int] | None = None
) -> tuple[list[tuple[str, object, tuple[int, ...]]], set[str]]:
    """(name, figure, widths) for every chart the pages and the board pack draw, from the demo's real data, and
    the chart functions that were called to draw them. page_widths: {'map': px, 'bars': px} as the Places page
    draws its charts."""
    called: set[str] = set()
    # The server has Streamlit imported, and with it Streamlit's plotly template as the default: draw as it does.
    import plotly.io as pio
    import streamlit.elements.plotly_chart  # noqa: F401

    monkeypatch.setattr(pio.templates, "default", "streamlit")
    for module in CHART_MODULES:
        for name in dir(module):
            function = getattr(module, name)
            if f"{module.__name__}.{name}" in _public_figure_functions():

                def recorded(*args, _f=function, _n=f"{module.__name__}.{name}", **kwargs):
                    called.add(_n)
                    return _f(*args, **kwargs)

                monkeypatch.setattr(module, name, recorded)
                if getattr(charts, name, None) is function:  # the callers' charts.heatmap_figure(...)
                    monkeypatch.setattr(charts, name, recorded)
    figures, pictures, on_screen = [], [], []
    width, height = WIDESCREEN
    for slide in slides.board_slides(con, framework, Filters()):  # the pack, and presentation mode's copies
        figures.append((f"slide {slide.key}", slide.figure))
        figures.append((f"presentation {slide.key}", charts.projector_figure(slide.figure)))
        if chart_kind(slide) == "picture":  # the pack's own pictures, in the slide's chart box
            box = view_layout(width, height, slide.headline, view_footer(slide)).body
            pictures += [
                (f"pack picture {slide.key} {n + 1}", part) for n, part in enumerate(picture_figures(slide, box))
            ]
        # the presentation page's own copy: projector type at the height one 1280 x 720 screen leaves it
        tall = presentation.slide_chart_height(
            slide.headline, slide.summary, presentation.slide_footer(slide, "All places")
        )
        on_screen.append((f"presentation page {slide.key}", presentation.presentation_figure(slide.figure, tall)))
    slide_figures = len(figures)
    table = analysis.need_vs_effort(con, framework, Filters())
    boundaries = charts.read_boundaries()
    for measure, label in (
        ("investment_per_head", "Investment per head (£)"),
        ("imd2019_score", "IMD 2019 average score"),
        ("investment", "Investment (£)"),
    ):
        figures.append(
            (
                f"map {measure}",
                charts.place_map_figure(
                    table, measure, label, f"{label} by place", "Source: partner activity returns", boundaries
                ),
            )
        )
        figures.append(
            (
                f"map {measure} (centre points)",
                charts.place_map_figure(table, measure, label, f"{label} by place", "Source: partner activity returns"),
            )
        )
    figures.append(
        (
            "need against effort per 100,000",
            charts.need_effort_figure(
                table,
                "activities_per_100k",
                "Need (inactive adults) against effort",
                "Source: partner activity returns",
            ),
        )
    )
    for rows, columns, measure in (
        ("aim", "way", "activities"),
        ("place", "aim", "investment"),
        ("sector", "aim", "participants"),
        ("theme", "aim", "activities"),
    ):
        cells = analysis.heatmap(con, framework, Filters(), rows, columns)
        for compact in (False, True):
            figures.append(
                (
                    f"heatmap {rows} x {columns} {measure}{' compact' if compact else ''}",
                    charts.heatmap_figure(
                        cells,
                        measure,
                        f"{measure} by {rows} and {columns}",
                        "Source: partner activity returns",
                        compact=compact,
                    ),
                )
            )
    mansfield = analysis.heatmap(con, framework, Filters(places=("E07000174",)), "place", "aim").rename(
        columns={"column_label": "aim"}
    )
    figures.append(
        (
            "activities by aim in a place",
            charts.bar_figure(
                mansfield,
                "activities",
                "aim",
                "Activities by aim in Mansfield",
                "Source: partner activity returns",
                "Activities",
            ),
        )
    )
    graph = network.partner_network(network.memberships(con, framework, Filters()))
    measures = network.network_measures(graph)
    if not measures.empty:
        figures.append(
            (
                "partner network",
                learning_charts.network_figure(
                    measures,
                    network.network_layout(graph),
                    list(graph.edges(data="weight")),
                    framework,
                    "Who works with whom on shared purposes and experiments",
                    "Source: the learning workspace",
                ),
            )
        )
    trend = markers.indicator_trend(con, "93015", ["E07000174", "E07000033"], framework.benchmark)
    marks = markers.experiment_markers(con, framework, Filters(), "93015")
    figures.append(
        (
            "experiment's indicator",
            learning_charts.indicator_trend_figure(
                trend,
                marks.head(1),
                "Adults inactive: Mansfield, Bolsover and England",
                "Source: OHID Fingertips. Dashed line: the experiment's start.",
            ),
        )
    )
    on_places_page = {PLACES_PAGE_CHARTS[chart]: width for chart, width in (page_widths or {}).items()}

    def widths(n: int, name: str) -> tuple[int, ...]:
        if n < slide_figures:
            return SLIDE_WIDTHS
        return PAGE_WIDTHS + ((on_places_page[name],) if name in on_places_page else ())

    return (
        [(name, figure, widths(n, name)) for n, (name, figure) in enumerate(figures)]
        + [(name, figure, (IMAGE_WIDTH,)) for name, figure in pictures]
        + [(name, figure, (presentation.SLIDE_CHART_WIDTH,)) for name, figure in on_screen]
    ), called


def _problems(measured: dict, tolerance: float = TOUCH) -> list[str]:
    width, height = measured["canvas"]["width"], measured["canvas"]["height"]
    found = []
    boxes = measured["boxes"]
    for box in boxes:
        if box["x0"] < -0.5 or box["y0"] < -0.5 or box["x1"] > width + 0.5 or box["y1"] > height + 0.5:
            found.append(
                f"{box['words']!r} runs off the image ({box['x0']:.0f}-{box['x1']:.0f} x "
                f"{box['y0']:.0f}-{box['y1']:.0f} in {width:.0f} x {height:.0f})"
            )
        clip = box["clip"]
        if clip and (
            box["x0"] < clip["x0"] - 0.5
            or box["x1"] > clip["x1"] + 0.5
            or box["y0"] < clip["y0"] - 0.5
            or box["y1"] > clip["y1"] + 0.5
        ):
            found.append(
                f"{box['words']!r} is cut at the edge of the plot ({box['x0']:.0f}-{box['x1']:.0f} x "
                f"{box['y0']:.0f}-{box['y1']:.0f}, plot {clip['x0']:.0f}-{clip['x1']:.0f} x "
                f"{clip['y0']:.0f}-{clip['y1']:.0f})"
            )
    for n, a in enumerate(boxes):
        for b in boxes[n + 1 :]:
            reach = a.get("halo", 0) + b.get("halo", 0)  # halos count: they must not run into each other
            across = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) + reach
            down = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) + reach
            if across > tolerance and down > tolerance:
                found.append(f"{a['words']!r} and {b['words']!r} overlap ({across:.0f} x {down:.0f} px)")
    return found


def _cell_problems(figure, measured: dict) -> list[str]:
    """Numbers printed on heatmap cells wider than their cell."""
    heatmaps = [trace for trace in figure.data if trace.type == "heatmap"]
    if not heatmaps or not measured["heatmaps"]:
        return []
    columns = len(dict.fromkeys(heatmaps[0].x))
    left, right = measured["heatmaps"][0]["x0"], measured["heatmaps"][0]["x1"]
    cell = (right - left) / columns - (heatmaps[0].xgap or 0)
    printed = {str(t) for trace in heatmaps if trace.text is not None for row in trace.text for t in row if str(t)}
    return [
        f"cell number {box['words']!r} is {box['x1'] - box['x0']:.0f} px wide in a {cell:.0f} px cell"
        for box in measured["boxes"]
        if box["words"] in printed and box["x1"] - box["x0"] > cell
    ]


def measure_svg(page, svg: bytes) -> dict:
    page.set_content(f"<html><body style='margin:0'>{svg.decode('utf-8')}</body></html>")
    return page.evaluate(MEASURE_TEXT, page.query_selector("svg").evaluate_handle("e => e"))


def test_every_chart_function_is_checked(demo_con, framework, monkeypatch):
    _, called = _all_figures(demo_con, framework, monkeypatch)
    assert _public_figure_functions() - called == set(), "a chart function is not drawn by the label check"


@pytest.fixture(scope="module")
def page_chart_widths(browser, app_url) -> dict[str, int]:
    """The widths the Places page gives its map and its half-width bar chart in a 1280 x 720 window, read from the
    page: {'map': px, 'bars': px}."""
    from tests.browser.conftest import wait_for_app

    context = browser.new_context(viewport={"width": 1280, "height": 720})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(app_url + "/Places")
        wait_for_app(page)
        charts_drawn = page.locator("[data-testid='stPlotlyChart']")
        charts_drawn.nth(1).wait_for()
        wait_for_app(page)
        found = charts_drawn.evaluate_all(
            "(all) => all.map(e => [e.textContent, Math.round(e.getBoundingClientRect().width)])"
        )
    finally:
        context.close()
    widths = {
        "map": next(w for text, w in found if "by place" in text),
        "bars": next(w for text, w in found if "Activities by aim in" in text),
    }
    assert 300 < widths["bars"] < widths["map"] < 1280, widths
    return widths


def test_the_places_page_charts_are_measured_at_their_width_on_the_page(page_chart_widths):
    # a half-width column at 1280 px is about 400 px wide (not the 700 px the check once assumed)
    assert page_chart_widths["bars"] < 0.6 * page_chart_widths["map"]


def test_no_clipped_or_colliding_labels(demo_con, framework, monkeypatch, page, test_output, page_chart_widths):
    figures, _ = _all_figures(demo_con, framework, monkeypatch, page_chart_widths)
    problems = []
    for width in sorted({w for _, _, widths in figures for w in widths}):
        drawn = [(name, figure) for name, figure, widths in figures if width in widths]
        svgs = images.figure_images([f for _, f in drawn], "svg", width=width, scale=1)
        for (name, figure), svg in zip(drawn, svgs):
            measured = measure_svg(page, svg)
            assert measured["boxes"], f"{name}: no text found in its SVG"
            found = _problems(measured) + _cell_problems(figure, measured)
            if found:
                (test_output / f"labels-{width}-{name.replace(' ', '_').replace(',', '')}.svg").write_bytes(svg)
                problems += [f"{name} at {width} px: {p}" for p in found]
    assert not problems, "\n".join(problems)
