"""A leader's decision in a real browser: recorded on a filtered view, it keeps a link that opens the same view;
the board pack made after it opens with "Since last time", naming the decision, its owner and state, and what moved
in its view's figures once activities were imported, by exactly what strategy.analysis works out; and a saved
scenario changes no reported figure."""

from __future__ import annotations

import csv
import io
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from pptx import Presentation

from strategy import analysis, db
from strategy.access import LOCAL_USER
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.ingest import import_activities
from strategy.ingest.template import template_csv
from tests.browser.conftest import choose_organisation, screenshot, start_server, wait_for_app
from tests.browser.test_leader_journey import heatmap_cell_texts

pytestmark = pytest.mark.browser

MANSFIELD = "E07000174"
VIEW = Filters(places=(MANSFIELD,), sectors=("sport",))
VIEW_LINK = f"/Alignment?place={MANSFIELD}&sector=sport"
WHAT = "Ask the leisure trust to open two more walking football sessions in Mansfield"
OWNER = "Mansfield District Council"
DUE = date(2026, 9, 30)
PARTNER = "Mansfield Walking Football Club"  # a new partner: its activities move the decision's figures


@pytest.fixture
def page(browser, leader_url):
    """A leader's browser that may copy and paste (the decision's link is copied from the board's list)."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=leader_url)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


@pytest.fixture(scope="module")
def leader_url(demo_db_file, tmp_path_factory, test_output):
    """The dashboard on a copy of the demo data of its own (decisions and scenarios stay out of other tests)."""
    copy = tmp_path_factory.mktemp("decision-journey") / "decisions.duckdb"
    shutil.copy(demo_db_file, copy)
    process, url = start_server(copy, test_output / "streamlit-decision-journey.log")
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def activity_file() -> bytes:
    """Three new sport activities in Mansfield, with money and participants, in the CSV template."""
    header = next(csv.reader(io.StringIO(template_csv().decode("utf-8-sig"))))
    rows = [
        {
            "activity_id": f"MWF-{n}",
            "title": f"Walking football {n}",
            "sector": "Sport",
            "places": "Mansfield",
            "aims": "A4",
            "ways_of_working": "W1",
            "start_date": "01/04/2026",
            "status": "active",
            "participants": str(20 * n),
            "investment_gbp": f"£{2_500 * n:,}",
        }
        for n in (1, 2, 3)
    ]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=header, lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def view_moves(demo_db_file: Path, tmp_path: Path, data: bytes) -> dict:
    """What the same import moves in the view's headline figures, worked out on a copy of the demo data with
    strategy.analysis (the decision's own snapshot and 'since last time' are not used)."""
    framework = load_framework()
    copy = tmp_path / "replica.duckdb"
    shutil.copy(demo_db_file, copy)
    con = db.connect(copy)
    before = analysis.headline_totals(con, framework, VIEW)
    assert import_activities(con, data, "walking-football.csv", PARTNER, LOCAL_USER, framework=framework).ok
    after = analysis.headline_totals(con, framework, VIEW)
    con.close()
    return {key: after[key] - before[key] for key in ("activities", "investment", "participants")}


def signed(value: float, money: bool = False) -> str:
    return ("+" if value > 0 else "-") + (f"£{abs(value):,.0f}" if money else f"{abs(value):,.0f}")


def make_pack(page, url: str, target: Path) -> Presentation:
    """The board pack (PowerPoint) made from the Presentation page for the whole partnership, saved to target."""
    page.goto(url + "/Presentation?slide=1")
    wait_for_app(page)
    page.get_by_role("button", name="Board pack (PowerPoint)").click()
    save = page.get_by_role("button", name=re.compile(r"Save board-pack.*\.pptx"))
    save.wait_for(timeout=120_000)
    with page.expect_download(timeout=60_000) as download:
        save.click()
    download.value.save_as(target)
    return Presentation(target)


def slide_texts(slide) -> str:
    """Every text on a slide: its text boxes and its tables' cells, a row a line with cells joined by ' | '."""
    parts = []
    for shape in slide.shapes:
        if shape.has_text_frame:
            parts.append(shape.text_frame.text)
        if shape.has_table:
            parts += [" | ".join(cell.text for cell in row.cells) for row in shape.table.rows]
    return "\n".join(parts)


def since_last_time(deck: Presentation) -> tuple[int, str]:
    """(the slide's position, its text) of the 'Since last time' slide."""
    for number, slide in enumerate(deck.slides, start=1):
        if slide.shapes.title is not None and slide.shapes.title.text.startswith("Since last time"):
            return number, slide_texts(slide)
    raise AssertionError("no 'Since last time' slide in the pack")


def heatmap(page) -> list[str]:
    """The heatmap's cell texts (a server that has just started, on a busy machine, takes a while to draw it)."""
    page.wait_for_selector(".js-plotly-plot .heatmaplayer text", timeout=90_000)
    return heatmap_cell_texts(page)


def copied_last_cell(page, grid) -> str:
    """The first row's last cell of a data grid (drawn on a canvas), as a person copies it: click the row, move to
    its end, copy."""
    box = grid.locator("canvas").first.bounding_box()
    page.mouse.click(box["x"] + 40, box["y"] + 35 + 17)  # the first row, below the headings
    for _ in range(12):
        page.keyboard.press("ArrowRight")
    page.keyboard.press("ControlOrMeta+c")
    page.wait_for_timeout(300)
    return page.evaluate("() => navigator.clipboard.readText()").strip()


def test_a_decision_comes_back_in_the_next_pack_with_what_moved(page, leader_url, demo_db_file, tmp_path, test_output):
    # The leader records a decision on a filtered view: Mansfield, sport.
    page.goto(leader_url + VIEW_LINK)
    wait_for_app(page)
    cells = heatmap(page)
    page.get_by_text("Record a decision").click()  # the form is drawn once the expander is opened
    wait_for_app(page)
    page.get_by_label("What was decided").fill(WHAT)
    page.get_by_label("Who owns it").fill(OWNER)
    page.get_by_role("spinbutton", name="day, By when (optional)").click()
    page.keyboard.type(f"{DUE:%d%m%Y}")
    page.keyboard.press("Escape")
    screenshot(page, test_output / "decision-journey-1-record.png")
    page.get_by_role("button", name="Record the decision").click()
    wait_for_app(page)
    page.get_by_text(f"Recorded decision 1: {WHAT} (owner {OWNER}).").wait_for()

    # Its stored link, as the board's decision list shows it, opens the same view.
    page.goto(leader_url + "/Presentation?slide=1")
    wait_for_app(page)
    page.get_by_role("button", name="Decisions").click()
    page.get_by_text("The board's decisions").wait_for()
    grid = page.locator("[data-testid=stPopoverBody] [data-testid=stDataFrame]")
    grid.wait_for()
    link = copied_last_cell(page, grid)
    page.get_by_role("combobox", name="State").click()
    page.get_by_role("option", name="In progress").click()
    wait_for_app(page)
    page.get_by_role("button", name="Change").click()
    page.get_by_text("Since last time: 1 board decision, 1 in progress.").first.wait_for()
    screenshot(page, test_output / "decision-journey-2-decisions.png")
    page.goto(leader_url + "/Alignment" + link)
    wait_for_app(page)
    assert heatmap(page) == cells
    assert sorted(link.lstrip("?").split("&")) == sorted(VIEW_LINK.split("?")[1].split("&"))

    # The first pack after the decision: it opens with the decision, nothing moved yet.
    first = make_pack(page, leader_url, test_output / "decision-journey-pack-1.pptx")
    position, text = since_last_time(first)
    assert position == 2  # straight after the title slide
    assert WHAT in text and OWNER in text and "In progress" in text and "30 September 2026" in text
    assert text.count("no change") >= 2

    # Activities are imported: the decision's view moves.
    data = activity_file()
    page.goto(leader_url + "/Upload")
    wait_for_app(page)
    choose_organisation(page, PARTNER)
    page.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        files=[{"name": "walking-football.csv", "mimeType": "text/csv", "buffer": data}]
    )
    wait_for_app(page)
    page.get_by_role("button", name="Load 3 activities").click()
    wait_for_app(page)
    page.get_by_text(f"Loaded 3 activities for {PARTNER}").wait_for()

    # The next pack: 'Since last time' names the decision, its owner and state, and what moved, which is what
    # strategy.analysis works out for the same import on a copy of the same data.
    moved = view_moves(demo_db_file, tmp_path, data)
    assert moved["activities"] == 3 and moved["investment"] > 0
    second = make_pack(page, leader_url, test_output / "decision-journey-pack-2.pptx")
    position, text = since_last_time(second)
    assert position == 2
    row = next(line for line in text.splitlines() if line.startswith(WHAT)).split(" | ")
    assert row[:5] + row[6:] == [
        WHAT,
        OWNER,
        "In progress",
        "30 September 2026",
        "30 June 2026",
        signed(moved["activities"]),
        signed(moved["investment"], money=True),
    ]
    # the view it was made on, in words: the page, then its filters as the sidebar says them
    assert row[5].startswith("Alignment") and row[5].endswith(VIEW.describe(load_framework()))


def test_a_saved_scenario_changes_no_reported_figure(page, leader_url, test_output):
    page.goto(leader_url + "/Alignment")
    wait_for_app(page)
    before = heatmap(page)
    page.goto(leader_url + "/Coverage_and_gaps")
    wait_for_app(page)
    page.get_by_text("Try a what-if scenario").click()  # drawn once opened
    wait_for_app(page)
    page.get_by_label("Save as").fill("£250k by need, 2027")
    page.get_by_role("button", name="Save scenario").click()
    wait_for_app(page)
    page.get_by_text("Saved £250k by need, 2027.").wait_for()
    screenshot(page, test_output / "decision-journey-3-scenario.png")
    page.goto(leader_url + "/Alignment")
    wait_for_app(page)
    after = heatmap(page)
    assert after == before and sum(int(t) for t in after if t.isdigit()) > 0
