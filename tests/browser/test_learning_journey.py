"""A workshop group's journey: write a purpose, map empathy with a pinned quote, register an experiment, then see
its marker on a trend chart and its quote beside the numbers in the Alignment drill-down."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import wait_for_app

pytestmark = pytest.mark.browser

expect.set_options(timeout=30_000)
QUOTE = "The bus to the pool stops before my shift ends"
EXPERIMENT = "Late swim for shift workers"


def main(page):
    return page.locator("[data-testid='stMain']")


def choose(page, widget: str, label: str, option: str) -> None:
    """Pick an option in a selectbox or multiselect in the main area, found by its label."""
    main(page).locator(f"[data-testid='{widget}']").filter(has=page.locator("label", has_text=label)).first.locator(
        "input"
    ).click()
    page.keyboard.type(option.lstrip("➕ ")[:12])  # long lists are virtual: narrow to the option first
    try:
        page.get_by_role("option", name=option).first.click(timeout=8000)
    except Exception:
        page.screenshot(path="/tmp/shots/choose-fail.png")
        raise
    if widget == "stMultiSelect":
        page.keyboard.press("Escape")


def test_group_captures_purpose_quote_and_experiment_and_finds_them_joined_up(page, app_url, test_output):
    # 1. Write a purpose.
    page.goto(app_url + "/Shared_purpose")
    wait_for_app(page)
    choose(page, "stSelectbox", "Group", "➕ A new shared purpose")
    expect(page.get_by_role("button", name="Save purpose")).to_be_visible()
    expect(page.get_by_label("Group name")).to_have_count(1)
    page.get_by_label("Group name").fill("Shift workers' swim group")
    page.keyboard.press("Tab")
    for question, answer in (
        ("What do we want to do?", "Open the pool when shift workers can come."),
        ("Why?", "Night and late shifts rule out every session."),
        ("What will the benefits be?", "Fitter shift workers and fewer back injuries."),
    ):
        page.get_by_label(question).fill(answer)
        page.keyboard.press("Tab")
        wait_for_app(page)
    main(page).get_by_text("23 words").wait_for()
    page.get_by_role("button", name="Save purpose").click()
    wait_for_app(page)
    page.get_by_role("tab", name="One-page card").click()
    main(page).locator(
        "[data-testid='stMarkdownContainer']", has_text="Night and late shifts rule out every session."
    ).first.wait_for()

    # 2. An empathy map with a resident quote pinned to aim A3 and Mansfield.
    page.goto(app_url + "/Empathy_maps")
    wait_for_app(page)
    choose(page, "stSelectbox", "Empathy map", "➕ A new empathy map")
    expect(page.get_by_role("button", name="Add note")).to_have_count(0)  # a new map has no notes form yet
    expect(page.get_by_label("Who or where")).to_have_count(1)
    page.get_by_label("Who or where").fill("Shift workers in Mansfield")
    page.get_by_role("button", name="Save the map").click()
    wait_for_app(page)
    expect(page.get_by_role("button", name="Add note")).to_be_visible()
    choose(page, "stSelectbox", "Quadrant", "Do and expect")
    page.get_by_label("Note, or a resident's own words").fill(QUOTE)
    main(page).get_by_text("Resident quote").click()
    choose(page, "stMultiSelect", "Pin to aims", "A3 Communities who experience the greatest inequality")
    choose(page, "stMultiSelect", "Pin to places", "Mansfield")
    page.get_by_role("button", name="Add note").click()
    wait_for_app(page)
    main(page).get_by_text(QUOTE).first.wait_for()

    # 3. Register an experiment watching inactive adults; its start is marked on the trend chart.
    page.goto(app_url + "/Experiments")
    wait_for_app(page)
    choose(page, "stSelectbox", "Experiment", "➕ Register a new experiment")
    expect(page.get_by_role("button", name="Register the experiment")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_count(1)
    page.get_by_label("Title").fill(EXPERIMENT)
    page.get_by_label("Hypothesis").fill("If the pool opens at 10pm, shift workers will swim weekly.")
    choose(page, "stSelectbox", "Lead partner", "Mansfield Leisure Trust")
    choose(page, "stMultiSelect", "Aims", "A3 Communities who experience the greatest inequality")
    choose(page, "stMultiSelect", "Places", "Mansfield")
    choose(page, "stMultiSelect", "Indicators to watch", "Physically inactive adults")
    main(page).get_by_role("spinbutton", name="day, Start").first.click()  # a date field of day/month/year parts
    page.keyboard.type("01022024")
    page.keyboard.press("Tab")
    page.get_by_role("button", name="Register the experiment").click()
    expect(page.get_by_role("button", name="Save changes")).to_be_visible()  # the new experiment is shown
    page.get_by_role("tab", name="Indicators it watches").click()
    chart = main(page).locator("[data-testid='stPlotlyChart']").first
    chart.wait_for()
    chart.get_by_text(f"▲ {EXPERIMENT}").wait_for()
    page.screenshot(path=str(test_output / "learning-experiment-marker.png"))

    # 4. The experiment counts as an activity, and the quote sits beside the numbers in the Alignment drill-down.
    page.goto(app_url + "/Alignment?place=E07000174")
    wait_for_app(page)
    choose(page, "stSelectbox", "Aim", "A3 Communities who experience the greatest inequality")
    wait_for_app(page)
    main(page).get_by_text(QUOTE).first.wait_for()
    choose(page, "stSelectbox", "Way of working", "W1 Growing insight and understanding")
    wait_for_app(page)
    quote = main(page).get_by_text(QUOTE).first
    quote.scroll_into_view_if_needed()
    assert quote.is_visible()
    page.screenshot(path=str(test_output / "learning-quote-in-alignment.png"))
