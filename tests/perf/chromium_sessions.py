"""Real Chromium sessions for the load test (Playwright's async API, Debian's /usr/bin/chromium): a few people
opening Overview and Alignment from links with filters, and one partner uploading a file through the Upload page.

They run in the same event loop as the websocket sessions, so they see the server under the same load; their
times are from opening the link to the page drawn (chart on screen, nothing running).
"""

from __future__ import annotations

import re
import time
from contextlib import asynccontextmanager

from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS

SETTLED = "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
TIMEOUT_MS = 180_000


@asynccontextmanager
async def chromium():
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        try:
            yield browser
        finally:
            await browser.close()


async def _settled(page) -> None:
    await page.wait_for_selector("[data-testid='stMain']", timeout=TIMEOUT_MS)
    await page.wait_for_function(SETTLED, timeout=TIMEOUT_MS)


async def view_pages(browser, url: str, query: str) -> dict:
    """One person opening the Overview link, then the Alignment link: seconds for each and what they were shown."""
    context = await browser.new_context(viewport={"width": 1440, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    try:
        started = time.perf_counter()
        await page.goto(f"{url}/?{query}")
        await page.locator(".js-plotly-plot").first.wait_for()
        tile = page.locator("[data-testid='stMetric']").filter(has_text="Activities").first
        await tile.wait_for()
        await _settled(page)
        overview = time.perf_counter() - started
        activities = (await tile.locator("[data-testid='stMetricValue']").inner_text()).strip()
        started = time.perf_counter()
        await page.goto(f"{url}/Alignment?{query}")
        await page.locator(".js-plotly-plot").first.wait_for()
        behind = page.get_by_text(re.compile(r"activities address")).first
        await behind.wait_for()
        await _settled(page)
        alignment = time.perf_counter() - started
        return {
            "overview_s": round(overview, 2),
            "alignment_s": round(alignment, 2),
            "activities_tile": activities,
            "cell_text": (await behind.inner_text()).strip(),
        }
    finally:
        await context.close()


class PreparedUpload:
    """A partner on the Upload page with the file chosen and checked, about to press Load."""

    def __init__(self, context, page, rows: int, partner: str, checked_s: float):
        self.context, self.page, self.rows, self.partner, self.checked_s = context, page, rows, partner, checked_s

    async def load(self, clock_start: float) -> dict:
        """Press Load; seconds until the page says it landed (from clock_start, and from the click)."""
        try:
            clicked = time.perf_counter()
            await self.page.get_by_role("button", name=f"Load {self.rows:,} activities").click()
            loaded = self.page.get_by_text(f"Loaded {self.rows:,} activities for {self.partner}")
            await loaded.wait_for()
            landed = time.perf_counter()
            return {
                "checked_before_wave_s": round(self.checked_s, 2),
                "load_s": round(landed - clicked, 2),
                "landed_at_s": round(landed - clock_start, 2),
                "message": (await loaded.inner_text()).strip(),
            }
        finally:
            await self.context.close()


async def prepare_upload(browser, url: str, data: bytes, file_name: str, partner: str, rows: int) -> PreparedUpload:
    """Open the Upload page, name the partner, choose the file and wait for the check ('N activities are ready')."""
    context = await browser.new_context(viewport={"width": 1440, "height": 1000})
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    started = time.perf_counter()
    await page.goto(f"{url}/Upload")
    await _settled(page)
    await page.get_by_role("combobox", name="Your organisation").click()  # a new partner: named and confirmed
    await page.keyboard.type("A new organisation")
    await page.get_by_role("option", name="A new organisation…").click()
    await _settled(page)
    box = page.get_by_role("textbox", name="Name of the new organisation")
    await box.fill(partner)
    await box.press("Enter")
    await _settled(page)
    await page.get_by_text(f"Yes, add {partner} as a new partner organisation").click()
    await _settled(page)
    await page.locator("[data-testid='stFileUploader'] input[type='file']").set_input_files(
        files=[{"name": file_name, "mimeType": "text/csv", "buffer": data}]
    )
    await page.get_by_text(f"{rows:,} activities are ready to load").wait_for()
    await _settled(page)
    return PreparedUpload(context, page, rows, partner, time.perf_counter() - started)
