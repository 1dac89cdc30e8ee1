"""Click to see, click to filter, in a real browser: a heatmap cell opens its activities, a map area narrows the
page's filters (sidebar and link), and one button undoes it."""

import re

import pytest

from strategy import analysis
from strategy.filters import Filters
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

# Finds a spot inside an SVG path (a map area), in page coordinates: the centre of its box need not be inside it.
INSIDE_PATH = """(path) => {
  const box = path.getBBox(), matrix = path.getScreenCTM(), svg = path.ownerSVGElement;
  for (let step = 2; step <= 32; step *= 2) {
    for (let i = 1; i < step; i += 2) for (let j = 1; j < step; j += 2) {
      const point = svg.createSVGPoint();
      point.x = box.x + box.width * i / step; point.y = box.y + box.height * j / step;
      if (path.isPointInFill(point)) { const p = point.matrixTransform(matrix); return [p.x, p.y]; }
    }
  }
  return null;
}"""


def plot_area(chart):
    """The heatmap's plotting area (plotly's drag layer), in page coordinates."""
    return chart.locator(".nsewdrag").first.bounding_box()


def test_clicking_a_heatmap_cell_opens_its_activities(page, app_url, test_output, demo_con, framework):
    page.goto(f"{app_url}/Alignment")
    wait_for_app(page)
    chart = page.locator("[class*='st-key-chart_alignment_heatmap'] .stPlotlyChart")
    page.wait_for_selector(
        "[class*='st-key-chart_alignment_heatmap'] .heatmaplayer", state="attached", timeout=60_000
    )  # the first page of a cold server draws slowly on a busy machine
    page.wait_for_timeout(500)  # plotly lays the chart out after drawing it
    page.screenshot(path=test_output / "click-alignment-before.png", full_page=True)

    aims, ways = framework.aims, framework.ways
    row, column = 2, 3  # the third aim, the fourth way of working
    area = plot_area(chart)
    x = area["x"] + area["width"] * (column + 0.6) / len(ways)  # off the centre: any spot of a cell picks it
    y = area["y"] + area["height"] * (row + 0.3) / len(aims)
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    aim, way = framework.label("aim", aims[row].code), framework.label("way", ways[column].code)
    wait_for_app(page)
    page.wait_for_function(
        "(wanted) => wanted.every(([label, name]) => [...document.querySelectorAll("
        "'[data-testid=stSelectbox]')].some(box => box.innerText.trim().startsWith(label) && "
        "(box.querySelector('input')?.value === name || box.innerText.includes(name))))",
        arg=[[analysis.DIMENSION_NAMES["aim"], aim], [analysis.DIMENSION_NAMES["way"], way]],
    )

    expected = (
        analysis.heatmap(demo_con, framework, Filters())
        .set_index(["row_code", "column_code"])
        .loc[(aims[row].code, ways[column].code)]
        .activities
    )
    page.get_by_text(re.compile(rf"{expected:,} activities address")).wait_for()
    page.screenshot(path=test_output / "click-alignment-after.png", full_page=True)


def test_clicking_a_map_area_narrows_the_page_and_one_click_undoes_it(page, app_url, test_output, framework):
    page.goto(f"{app_url}/Places")
    wait_for_app(page)
    chart = page.locator("[class*='st-key-chart_place_map'] .stPlotlyChart")
    chart.locator("path.choroplethlocation").first.wait_for()
    page.screenshot(path=test_output / "click-places-before.png", full_page=True)

    # the widest area, and the place the map drew there (plotly keeps each area's location on its element)
    areas = chart.locator("path.choroplethlocation")
    widest = max(range(areas.count()), key=lambda i: areas.nth(i).bounding_box()["width"])
    code = areas.nth(widest).evaluate("path => path.__data__.loc")
    name = framework.place(code).name
    x, y = areas.nth(widest).evaluate(INSIDE_PATH)
    page.mouse.move(x, y)
    page.mouse.click(x, y)

    page.wait_for_url(re.compile(rf"place={code}"))
    wait_for_app(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    place_filter = sidebar.locator("[data-testid='stMultiSelect']").filter(has_text="Place")
    place_filter.get_by_text(name, exact=True).wait_for()
    undo = sidebar.get_by_role("button", name="Undo: show all places")
    undo.wait_for()
    page.get_by_role("heading", name=name).wait_for()  # the page now shows the clicked place
    page.screenshot(path=test_output / "click-places-after.png", full_page=True)

    undo.click()
    page.wait_for_url(lambda url: "place=" not in url)
    wait_for_app(page)
    assert place_filter.get_by_text(name, exact=True).count() == 0
    assert sidebar.get_by_role("button", name="Undo: show all places").count() == 0
    page.screenshot(path=test_output / "click-places-undone.png", full_page=True)


ROW_HEIGHT = 35  # the height of a row, and of the header, in Streamlit's data grid


def test_on_a_phone_a_row_of_the_heatmap_s_list_opens_its_activities(
    browser, app_url, test_output, demo_con, framework
):
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.set_default_timeout(30_000)
    try:
        page.goto(f"{app_url}/Alignment?layout=list")
        wait_for_app(page)
        grid = page.locator("[class*='st-key-list_alignment_heatmap'] [data-testid='stDataFrame']")
        grid.wait_for()
        page.wait_for_timeout(500)  # the grid draws its rows after it is laid out
        page.screenshot(path=test_output / "click-alignment-list-before.png", full_page=True)

        cells = analysis.heatmap(demo_con, framework, Filters())
        listed = analysis.heatmap_list(cells, "aim", "way", "activities")
        position = 4  # the fifth largest cell, not the one the drop-downs start on
        aim_label, way_label = listed.iloc[position, 1], listed.iloc[position, 2]
        expected = cells[(cells.row_label == aim_label) & (cells.column_label == way_label)].activities.iloc[0]
        grid.scroll_into_view_if_needed()
        box = grid.bounding_box()
        x, y = box["x"] + 14, box["y"] + ROW_HEIGHT * (position + 1) + ROW_HEIGHT / 2  # the row's marker
        page.mouse.click(x, y)
        wait_for_app(page)
        page.get_by_text(re.compile(rf"^{expected:,} activities address {re.escape(aim_label)}")).wait_for()
        page.wait_for_function(
            "(wanted) => wanted.every(name => [...document.querySelectorAll('[data-testid=stSelectbox]')].some("
            "box => box.querySelector('input')?.value === name || box.innerText.includes(name)))",
            arg=[aim_label, way_label],
        )
        assert "layout=list" in page.url
        page.screenshot(path=test_output / "click-alignment-list-after.png", full_page=True)
    finally:
        context.close()
