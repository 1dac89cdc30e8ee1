"""Screenshots of every page at 1280x720, 1920x1080 and phone width (390 px): docs/images/pages/<page>_<width>.png.

    make screenshots            (or: python scripts/screenshots.py [--dark] [--page Alignment ...])

Builds the demo database in a temporary folder (as on a fixed day, so the pictures only change when the pages do),
starts the dashboard on it, opens every page in Debian's Chromium and saves what a viewer sees: the page from the
top, down to three screens' height. The PNGs are reduced to 256 colours so they stay small in git.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT_ROOT))

FIXED_DAY = "2026-06-30"  # the tests' day too (tests/conftest.py)
SCREENS = {1280: (1280, 720), 1920: (1920, 1080), 390: (390, 844)}
TALLEST = 3  # screens' height at most, so a long page stays a readable picture
# On a phone the heatmaps are shown in the layout made for it (see docs/decisions.md, "Pages on any screen").
PHONE_QUERY = "?layout=list"
OUT = PROJECT_ROOT / "docs" / "images" / "pages"


def page_paths() -> dict[str, str]:
    """{name: URL path} of every page: 'Overview' is '/', pages/N_Name.py is '/Name' (Streamlit's own rule)."""
    pages = sorted((PROJECT_ROOT / "pages").glob("*.py"),
                   key=lambda p: (int(re.match(r"\d*", p.stem)[0] or 0), p.stem))
    return {"Overview": "/", **{re.sub(r"^\d+_", "", p.stem): "/" + re.sub(r"^\d+_", "", p.stem) for p in pages}}


def small_png(png: bytes) -> bytes:
    """The picture in 256 colours, optimised: a fraction of the size, no visible change for a dashboard."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    reduced = image.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    reduced.save(out, format="PNG", optimize=True)
    return out.getvalue()


def settle(page) -> None:
    """Wait until the script has finished, the page list is drawn and any chart is drawn."""
    from tests.browser.conftest import wait_for_app

    wait_for_app(page)
    page.wait_for_selector("[data-testid='stSidebarContent'] a[href], [data-testid='stMain'] h1", state="attached")
    for _ in range(3):  # the first run may set the address and run once more; slow pages show "running" late
        page.wait_for_timeout(1500)
        wait_for_app(page)
    if page.locator("[data-testid='stPlotlyChart']").count():
        page.wait_for_selector(".js-plotly-plot .main-svg", state="attached")
        page.wait_for_timeout(1500)


def shoot(url: str, names: list[str], dark: bool, widths: list[int]) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS

    written = []
    OUT.mkdir(parents=True, exist_ok=True)
    paths = page_paths()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        for width, (w, h) in ((width, SCREENS[width]) for width in widths):
            context = browser.new_context(viewport={"width": w, "height": h},
                                          color_scheme="dark" if dark else "light", device_scale_factor=1)
            page = context.new_page()
            page.set_default_timeout(60_000)
            for name in names:
                page.goto(url + paths[name] + (PHONE_QUERY if width == 390 else ""))
                settle(page)
                height = min(page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"),
                             h * TALLEST)
                page.set_viewport_size({"width": w, "height": max(h, height)})
                page.wait_for_timeout(2500)  # charts redraw at the new size
                png = page.screenshot(clip={"x": 0, "y": 0, "width": w, "height": max(h, height)})
                page.set_viewport_size({"width": w, "height": h})
                target = OUT / f"{name}_{width}{'_dark' if dark else ''}.png"
                target.write_bytes(small_png(png))
                written.append(target)
                print(f"{target.relative_to(PROJECT_ROOT)}  {target.stat().st_size // 1024} KB", flush=True)
            context.close()
        browser.close()
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", action="append", choices=list(page_paths()), help="only these pages")
    parser.add_argument("--dark", action="store_true", help="the dark theme (files end _dark.png)")
    parser.add_argument("--width", action="append", type=int, choices=list(SCREENS), help="only these widths")
    args = parser.parse_args(argv)
    if not Path("/usr/bin/chromium").exists():
        print("Chromium is missing: sudo apt-get install chromium", file=sys.stderr)
        return 2
    os.environ["STRATEGY_TODAY"] = FIXED_DAY
    os.environ["STRATEGY_MODE"] = "local"
    from strategy.build import build_database
    from tests.browser.conftest import start_server

    with tempfile.TemporaryDirectory(prefix="screenshots-") as folder:
        database = Path(folder) / "demo.duckdb"
        from datetime import date

        build_database(database, with_demo=True, today=date.fromisoformat(FIXED_DAY))
        process, url = start_server(database, Path(folder) / "server.log")
        try:
            shoot(url, args.page or list(page_paths()), args.dark, args.width or list(SCREENS))
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
