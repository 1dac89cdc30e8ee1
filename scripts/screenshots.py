"""Screenshots of every page at 1280x720, 1920x1080 and phone width (390 px): docs/images/pages/<page>_<width>.png;
of every presentation slide at 1280x720: docs/images/slides/slide-NN.png; and of every page of the PDF board pack:
docs/images/pack/page-NN.png.

    make screenshots            (or: python scripts/screenshots.py [--dark] [--page Alignment ...] [--only pages])

Builds the demo database in a temporary folder (as on a fixed day, so the pictures only change when the pages do),
starts the dashboard on it, opens every page in Debian's Chromium and saves what a viewer sees: the page from the
top, down to three screens' height. Then opens presentation mode at 1280x720 and saves each slide as the room sees
it, and builds the PDF board pack as the command line does (python -m strategy board-pack) and turns each page into
a 1280 px wide picture with pdftoppm (Debian's poppler-utils). The PNGs are reduced to 256 colours so they stay
small in git.
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
SLIDES_OUT = PROJECT_ROOT / "docs" / "images" / "slides"
PACK_OUT = PROJECT_ROOT / "docs" / "images" / "pack"
SLIDE_SCREEN = (1280, 720)
PACK_WIDTH = 1280  # pixels across a PDF page's picture: a 16:9 slide comes out 1280 x 720
PARTS = ("pages", "slides", "pack")


def page_paths() -> dict[str, str]:
    """{name: URL path} of every page: 'Overview' is '/', pages/N_Name.py is '/Name' (Streamlit's own rule)."""
    pages = sorted((PROJECT_ROOT / "pages").glob("*.py"), key=lambda p: (int(re.match(r"\d*", p.stem)[0] or 0), p.stem))
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
            context = browser.new_context(
                viewport={"width": w, "height": h}, color_scheme="dark" if dark else "light", device_scale_factor=1
            )
            page = context.new_page()
            page.set_default_timeout(60_000)
            for name in names:
                page.goto(url + paths[name] + (PHONE_QUERY if width == 390 else ""))
                settle(page)
                height = min(
                    page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight"), h * TALLEST
                )
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


def shoot_slides(url: str) -> list[Path]:
    """Each presentation-mode slide at 1280x720, as a projector shows it: docs/images/slides/slide-NN.png."""
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_FLAGS

    SLIDES_OUT.mkdir(parents=True, exist_ok=True)
    for old in SLIDES_OUT.glob("slide-*.png"):  # a pack with fewer slides leaves none behind
        old.unlink()
    written = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True)
        width, height = SLIDE_SCREEN
        page = browser.new_context(viewport={"width": width, "height": height}, device_scale_factor=1).new_page()
        page.set_default_timeout(60_000)
        number, count = 1, 1
        while number <= count:
            page.goto(f"{url}/Presentation?slide={number}")
            settle(page)
            position = page.get_by_text(re.compile(r"Slide \d+ of \d+")).first.inner_text()
            count = int(re.search(r"of (\d+)", position).group(1))
            target = SLIDES_OUT / f"slide-{number:02d}.png"
            target.write_bytes(small_png(page.screenshot()))
            written.append(target)
            print(f"{target.relative_to(PROJECT_ROOT)}  {target.stat().st_size // 1024} KB", flush=True)
            number += 1
        browser.close()
    return written


def shoot_pack(database: Path, folder: Path) -> list[Path]:
    """Every page of the PDF board pack, built as the command line builds it: docs/images/pack/page-NN.png."""
    import shutil

    if not shutil.which("pdftoppm"):
        raise SystemExit("pdftoppm is missing: sudo apt-get install poppler-utils (or run make system)")
    pdf = folder / "board-pack.pdf"
    subprocess.run(
        [sys.executable, "-m", "strategy", "board-pack", str(pdf)],
        cwd=PROJECT_ROOT,
        check=True,
        env={**os.environ, "STRATEGY_DB": str(database)},
    )
    subprocess.run(
        ["pdftoppm", "-png", "-scale-to-x", str(PACK_WIDTH), "-scale-to-y", "-1", str(pdf), str(folder / "page")],
        check=True,
    )
    PACK_OUT.mkdir(parents=True, exist_ok=True)
    for old in PACK_OUT.glob("page-*.png"):
        old.unlink()
    written = []
    for number, drawn in enumerate(sorted(folder.glob("page-*.png"), key=lambda p: int(p.stem.split("-")[-1])), 1):
        target = PACK_OUT / f"page-{number:02d}.png"
        target.write_bytes(small_png(drawn.read_bytes()))
        written.append(target)
        print(f"{target.relative_to(PROJECT_ROOT)}  {target.stat().st_size // 1024} KB", flush=True)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--page", action="append", choices=list(page_paths()), help="only these pages")
    parser.add_argument("--dark", action="store_true", help="the dark theme (files end _dark.png)")
    parser.add_argument("--width", action="append", type=int, choices=list(SCREENS), help="only these widths")
    parser.add_argument(
        "--only",
        action="append",
        choices=PARTS,
        help="only these pictures: pages, slides (presentation mode), pack (the PDF's pages)",
    )
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
        parts = args.only or list(PARTS)
        if "pack" in parts:  # before the server opens the database
            shoot_pack(database, Path(folder))
        process, url = start_server(database, Path(folder) / "server.log")
        try:
            if "pages" in parts:
                shoot(url, args.page or list(page_paths()), args.dark, args.width or list(SCREENS))
            if "slides" in parts:
                shoot_slides(url)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
    return 0


if __name__ == "__main__":
    sys.exit(main())
