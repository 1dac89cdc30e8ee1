"""Journey: an analyst opens a link to the trends of one place and sees its line beside England's."""

import pytest

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser


def test_a_link_to_one_place_opens_its_trend_against_england(page, app_url, test_output):
    page.goto(app_url + "/Trends?place=E07000174")
    wait_for_app(page)
    page.wait_for_selector(".js-plotly-plot .legend", timeout=30_000)
    legend = page.locator(".js-plotly-plot .legend").first.text_content()
    assert "Mansfield" in legend and "England" in legend
    assert page.locator(".js-plotly-plot .scatterlayer .trace").count() >= 2  # the place's line and England's
    assert page.get_by_text("Intervals are not published in this extract").is_visible()
    page.screenshot(path=str(test_output / "trends-mansfield.png"), full_page=True)
