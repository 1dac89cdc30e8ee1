"""The leader's journey in a real browser: a shared link opens the same filtered view; filters write the URL."""

import re

import pytest

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser
MANSFIELD = "E07000174"


def heatmap_cell_texts(page) -> list[str]:
    page.wait_for_selector(".js-plotly-plot .heatmaplayer text", timeout=30_000)
    return page.locator(".js-plotly-plot").first.locator(".heatmaplayer text").all_text_contents()


def test_a_link_with_a_place_opens_the_filtered_heatmap(page, app_url, test_output):
    page.goto(f"{app_url}/Alignment")
    wait_for_app(page)
    everywhere = heatmap_cell_texts(page)

    page.goto(f"{app_url}/Alignment?place={MANSFIELD}")
    wait_for_app(page)
    page.get_by_text("Mansfield", exact=True).first.wait_for()
    mansfield = heatmap_cell_texts(page)
    page.screenshot(path=test_output / "alignment-mansfield.png", full_page=True)

    assert len(mansfield) >= 30 and mansfield != everywhere
    assert sum(int(t) for t in mansfield if t.isdigit()) < sum(int(t) for t in everywhere if t.isdigit())


def test_changing_the_sector_filter_changes_the_url(page, app_url, test_output):
    page.goto(f"{app_url}/Alignment?place={MANSFIELD}")
    wait_for_app(page)
    before = heatmap_cell_texts(page)
    sidebar = page.locator("[data-testid='stSidebar']")
    sidebar.locator("[data-testid='stMultiSelect']").filter(has_text="Sector").locator("input").click()
    page.keyboard.type("Sport")  # typing opens the list even when the click only focused the box
    page.get_by_role("option", name="Sport", exact=True).click()
    page.wait_for_url(re.compile(r"sector=sport"))
    page.keyboard.press("Escape")
    wait_for_app(page)
    assert f"place={MANSFIELD}" in page.url
    page.wait_for_function(
        "(before) => { const t = "
        "[...document.querySelectorAll('.js-plotly-plot .heatmaplayer text')]"
        ".map(e => e.textContent); return t.length > 0 && t.join() !== before.join(); }",
        arg=before,
    )
    page.screenshot(path=test_output / "alignment-mansfield-sport.png", full_page=True)


@pytest.mark.parametrize(
    "path, name",
    [
        ("/", "overview"),
        ("/Alignment", "alignment"),
        ("/Coverage_and_gaps", "coverage-and-gaps"),
        ("/Places", "places"),
    ],
)
def test_every_page_draws_its_charts_without_errors(page, app_url, test_output, path, name):
    page.goto(app_url + path)
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot", timeout=30_000)
    assert page.locator("[data-testid='stException']").count() == 0
    page.screenshot(path=test_output / f"page-{name}.png", full_page=True)
