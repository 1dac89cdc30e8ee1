"""Presentation mode in Chromium: next and previous, the address follows, every slide screenshotted, pack download."""

from __future__ import annotations

import re

import pytest
from pptx import Presentation

from strategy.board import slides
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def headline(page) -> str:
    return page.locator("[data-testid='stMain'] h2").first.inner_text().strip()


def wait_for_slide(page, number: int) -> None:
    page.wait_for_url(f"**slide={number}**")
    wait_for_app(page)
    # the rerun has drawn this slide's position (the page may not show it is running before it does)
    page.wait_for_function(
        "n => document.querySelector('[data-testid=\"stMain\"]').innerText.includes('Slide ' + n + ' of')",
        arg=number,
        timeout=30_000,
    )
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_timeout(500)


def test_next_and_previous_walk_every_slide(page, app_url, test_output):
    page.goto(app_url + "/Presentation?slide=1")
    wait_for_slide(page, 1)
    assert not page.locator("[data-testid='stSidebar']").is_visible()  # no sidebar clutter
    # no appendix for the whole patch, and no decision or scenario recorded on the demo data
    count = len(slides.SLIDE_BUILDERS) - len(slides.APPENDIX_BUILDERS) - len(slides.RECORDED_BUILDERS)
    seen = []
    for number in range(1, count + 1):
        assert f"Slide {number} of {count}" in page.locator("[data-testid='stMain']").inner_text()
        seen.append(headline(page))
        page.screenshot(path=str(test_output / f"presentation-slide-{number:02d}.png"), full_page=True)
        if number < count:
            page.get_by_role("button", name="Next").click()
            wait_for_slide(page, number + 1)
    assert len(set(seen)) == count, "every slide has its own headline"
    assert page.get_by_role("button", name="Next").is_disabled()
    page.get_by_role("button", name="Previous").click()
    wait_for_slide(page, count - 1)
    assert headline(page) == seen[-2]


def test_page_down_key_moves_on_like_a_presentation_clicker(page, app_url):
    page.goto(app_url + "/Presentation?slide=2")
    wait_for_slide(page, 2)
    first = headline(page)
    page.keyboard.press("PageDown")
    wait_for_slide(page, 3)
    assert headline(page) != first


def test_board_pack_downloads_for_the_filters_in_the_address(page, app_url, test_output):
    page.goto(app_url + "/Presentation?slide=1&place=E07000174")
    wait_for_slide(page, 1)
    page.get_by_role("button", name="Board pack (PowerPoint)").click()  # makes it, showing the steps
    save = page.get_by_role("button", name=re.compile(r"Save board-pack_mansfield_\d{4}-\d{2}-\d{2}\.pptx"))
    save.wait_for(timeout=120_000)
    with page.expect_download(timeout=60_000) as download:
        save.click()
    assert re.fullmatch(r"board-pack_mansfield_\d{4}-\d{2}-\d{2}\.pptx", download.value.suggested_filename)
    target = test_output / "presentation-board-pack.pptx"
    download.value.save_as(target)
    deck = Presentation(target)
    title_text = " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "Showing: Places: Mansfield." in title_text
    assert deck.slides[1].shapes.title.text == headline(page)


SCROLLS = """() => { const main = document.querySelector('[data-testid="stMain"]');
    return {page: document.scrollingElement.scrollHeight, screen: innerHeight,
            main: main.scrollHeight, mainHeight: main.clientHeight}; }"""


@pytest.mark.parametrize("width, height", [(1280, 720), (1920, 1080)])
def test_every_slide_fits_the_screen_without_scrolling(browser, app_url, test_output, width, height):
    """A projector shows the whole slide: neither the page nor Streamlit's main pane scrolls, on any slide."""
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    try:
        page.goto(app_url + "/Presentation?slide=1")
        wait_for_slide(page, 1)
        count = int(re.search(r"Slide \d+ of (\d+)", page.locator("[data-testid='stMain']").inner_text()).group(1))
        for number in range(1, count + 1):
            if number > 1:
                page.goto(app_url + f"/Presentation?slide={number}")
                wait_for_slide(page, number)
            sizes = page.evaluate(SCROLLS)
            page.screenshot(path=str(test_output / f"presentation-{width}x{height}-slide-{number:02d}.png"))
            assert sizes["page"] <= sizes["screen"], f"slide {number} at {width}x{height}: the page scrolls {sizes}"
            assert sizes["main"] <= sizes["mainHeight"], f"slide {number} at {width}x{height}: it scrolls {sizes}"
    finally:
        context.close()


def test_chart_downloads_as_png_and_svg(page, app_url, test_output):
    page.goto(app_url + "/Presentation?slide=2")
    wait_for_slide(page, 2)
    for label, start in (("Download PNG", b"\x89PNG"), ("Download SVG", b"<svg")):
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=label).click()
        target = test_output / f"presentation-chart-{label.split()[-1].lower()}"
        download.value.save_as(target)
        assert target.read_bytes().startswith(start), f"{label} did not give a {start!r} file"
