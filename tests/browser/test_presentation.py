"""Presentation mode in Chromium: next and previous, the address follows, every slide screenshotted, pack download."""

from __future__ import annotations

import pytest
from pptx import Presentation

from strategy import slides
from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def headline(page) -> str:
    return page.locator("[data-testid='stMain'] h2").first.inner_text().strip()


def wait_for_slide(page, number: int) -> None:
    page.wait_for_url(f"**slide={number}**")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .main-svg")
    page.wait_for_timeout(500)


def test_next_and_previous_walk_every_slide(page, app_url, test_output):
    page.goto(app_url + "/Presentation?slide=1")
    wait_for_slide(page, 1)
    assert not page.locator("[data-testid='stSidebar']").is_visible()  # no sidebar clutter
    count = len(slides.SLIDE_BUILDERS) - len(slides.APPENDIX_BUILDERS)  # no appendix for the whole patch
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
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Board pack (PowerPoint)").click()
    target = test_output / "presentation-board-pack.pptx"
    download.value.save_as(target)
    deck = Presentation(target)
    assert len(deck.slides) == 1 + len(slides.SLIDE_BUILDERS) - len(slides.APPENDIX_BUILDERS)  # one place
    title_text = " ".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert "Showing: Places: Mansfield." in title_text
    assert deck.slides[1].shapes.title.text == headline(page)


def test_chart_downloads_as_png_and_svg(page, app_url, test_output):
    page.goto(app_url + "/Presentation?slide=2")
    wait_for_slide(page, 2)
    for label, start in (("Download PNG", b"\x89PNG"), ("Download SVG", b"<svg")):
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name=label).click()
        target = test_output / f"presentation-chart-{label.split()[-1].lower()}"
        download.value.save_as(target)
        assert target.read_bytes().startswith(start), f"{label} did not give a {start!r} file"
