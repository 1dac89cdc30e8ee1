"""A partner's journey in a real browser: template, a file with mistakes, the problems, the fixed file, the heatmap."""

from __future__ import annotations

import csv
import io
from urllib.parse import quote

import pytest

from tests.browser.conftest import choose_organisation, wait_for_app

pytestmark = pytest.mark.browser
PARTNER = "Journey Test Walking Club"


def filled_template(template: bytes, rows: list[list[str]]) -> bytes:
    """The downloaded CSV template with rows added, as a partner would fill it."""
    text = template.decode("utf-8-sig")
    header = next(csv.reader(io.StringIO(text)))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def activity(number: int, places: str = "Bolsover", start: str = "01/04/2025") -> list[str]:
    return [
        f"JW-{number}",
        f"Health walk {number}",
        "Weekly led walk",
        "Sport",
        places,
        "Greatest inequality",
        "W4",
        "walking",
        start,
        "",
        "active",
        "25",
        "£1,500",
        "older people",
    ]


def upload_file(page, name: str, data: bytes) -> None:
    page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        files=[{"name": name, "mimeType": "text/csv", "buffer": data}]
    )
    wait_for_app(page)


def test_partner_fixes_their_file_and_sees_it_in_the_heatmap(page, app_url, test_output):
    page.goto(f"{app_url}/Upload")
    wait_for_app(page)
    page.get_by_text("2. Get your return or the template").wait_for()

    with page.expect_download() as download:
        page.get_by_role("button", name="CSV template").click()
    template = open(download.value.path(), "rb").read()
    assert template.decode("utf-8-sig").startswith("activity_id,title")

    choose_organisation(page, PARTNER)  # a new partner: named and confirmed

    mistakes = filled_template(template, [activity(1), activity(2, places="Bolsovr"), activity(3, start="31/02/2025")])
    upload_file(page, "walks.csv", mistakes)
    page.get_by_text("2 problem(s) found").first.wait_for()
    wait_for_app(page)
    page.wait_for_timeout(500)
    assert page.get_by_text("2 problem(s) found").count() == 1
    page.get_by_text("Did you mean 'Bolsover'?").first.wait_for(state="attached")
    assert page.get_by_text("Unknown place: 1").is_visible() and page.get_by_text("Not a date: 1").is_visible()
    with page.expect_download() as annotated:
        page.get_by_role("button", name="Download your file with a 'problems' column").click()
    marked = open(annotated.value.path(), "rb").read().decode("utf-8-sig")
    assert marked.splitlines()[0].endswith(",problems") and "Bolsovr" in marked
    page.screenshot(path=str(test_output / "partner-journey-problems.png"), full_page=True)

    fixed = filled_template(template, [activity(1), activity(2), activity(3, start="28/02/2025")])
    upload_file(page, "walks-fixed.csv", fixed)
    page.get_by_text("3 activities are ready to load").wait_for()
    wait_for_app(page)
    page.screenshot(path=str(test_output / "partner-journey-preview.png"), full_page=True)
    page.get_by_role("button", name="Load 3 activities").click()
    wait_for_app(page)
    page.get_by_text(f"Loaded 3 activities for {PARTNER}").wait_for()
    page.screenshot(path=str(test_output / "partner-journey-loaded.png"), full_page=True)

    page.goto(f"{app_url}/Alignment?partner={quote(PARTNER)}")
    wait_for_app(page)
    page.get_by_text(
        "The strongest cell is A3 Communities who experience the greatest inequality x "
        "W4 Targeting and aligning investment (3 activities)"
    ).wait_for()
    page.locator(".js-plotly-plot").first.wait_for()
    page.screenshot(path=str(test_output / "partner-journey-heatmap.png"), full_page=True)
