"""axe-core on every page in a real Chromium: no serious or critical violations; the keyboard reaches every control.

axe-core comes from the npm registry (package.json, installed by scripts/install_system_packages.sh) and is
injected into each page by the test.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.browser.conftest import wait_for_app
from tests.conftest import PROJECT_ROOT

pytestmark = pytest.mark.browser

AXE = PROJECT_ROOT / "node_modules" / "axe-core" / "axe.min.js"
BLOCKING = ("serious", "critical")


def page_paths() -> list[str]:
    """The URL path of every page: '/' for app.py, then pages/N_Name.py as '/Name' (Streamlit's own rule)."""
    pages = sorted((PROJECT_ROOT / "pages").glob("*.py"), key=lambda p: (int(re.match(r"\d*", p.stem)[0] or 0), p.stem))
    return ["/"] + ["/" + re.sub(r"^\d+_", "", p.stem) for p in pages]


def open_page(page, url: str) -> None:
    page.goto(url)
    wait_for_app(page)
    # page list drawn; a cold server's first page builds every shared answer first, which takes longer
    page.wait_for_selector("[data-testid='stSidebarContent'] a[href]", state="attached", timeout=90_000)
    if page.locator("[data-testid='stPlotlyChart']").count():
        # Charts in a tab that is not open are drawn but hidden, so wait for them to exist, not to show.
        page.wait_for_selector(".js-plotly-plot .main-svg", state="attached")
        page.wait_for_selector("[data-testid='stDownloadButton']", state="attached")
    page.wait_for_timeout(1000)
    wait_for_app(page)  # the first run may set the address and run once more


def axe_violations(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail("axe-core is missing: run `bash scripts/install_system_packages.sh` (npm ci) first.")
    page.add_script_tag(path=str(AXE))
    result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    return result["violations"]


@pytest.fixture(params=["light", "dark"])
def themed_page(browser, request):
    """A page in a browser whose viewer prefers the light or the dark theme; the dashboard follows it."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, color_scheme=request.param)
    page = context.new_page()
    page.set_default_timeout(30_000)
    page.scheme = request.param
    yield page
    context.close()


def background_is_dark(page) -> bool:
    rgb = page.evaluate("""() => getComputedStyle(document.querySelector('[data-testid="stApp"]')).backgroundColor""")
    red, green, blue = (int(x) for x in re.findall(r"\d+", rgb)[:3])
    return (0.2126 * red + 0.7152 * green + 0.0722 * blue) < 128


@pytest.mark.parametrize("path", page_paths())
def test_page_has_no_serious_or_critical_accessibility_violations(themed_page, app_url, test_output, path):
    page = themed_page
    open_page(page, app_url + path)
    assert background_is_dark(page) is (page.scheme == "dark"), f"{path} did not follow the {page.scheme} preference"
    violations = axe_violations(page)
    error = page.locator("[data-testid='stException']")
    if error.count() and "Could not find page" in error.first.inner_text():
        pytest.skip(f"{path} links to a page that is not on this branch yet; scanned once it is merged")
    assert not error.count(), f"{path} shows an error: {error.first.inner_text()[:300]}"
    name = (path.strip("/") or "Overview") + ("-dark" if page.scheme == "dark" else "")
    (test_output / f"axe-{name}.json").write_text(json.dumps(violations, indent=2), encoding="utf-8")
    blocking = [
        f"{v['id']} ({v['impact']}): {v['help']} — {len(v['nodes'])} element(s), first: {v['nodes'][0]['target']}"
        for v in violations
        if v["impact"] in BLOCKING
    ]
    assert blocking == [], "\n".join(blocking)


def focus_walk(page, presses: int) -> list[dict]:
    """Where Tab takes the focus, press by press: the element's role, name and whether it is in the sidebar."""
    seen = []
    for _ in range(presses):
        page.keyboard.press("Tab")
        seen.append(
            page.evaluate("""() => {
            const e = document.activeElement;
            return {tag: e.tagName, role: e.getAttribute('role') || '', label: (e.getAttribute('aria-label')
                    || e.innerText || e.value || '').trim().slice(0, 60),
                    sidebar: !!e.closest('[data-testid="stSidebar"]'),
                    testid: (e.closest('[data-testid]') || {}).dataset?.testid || ''};
        }""")
        )
    return seen


def test_keyboard_alone_reaches_the_filters_and_the_page_controls(page, app_url, test_output):
    open_page(page, app_url + "/Alignment")
    seen = focus_walk(page, 90)
    (test_output / "keyboard-alignment.json").write_text(json.dumps(seen, indent=2), encoding="utf-8")
    sidebar_inputs = [s for s in seen if s["sidebar"] and s["tag"] == "INPUT"]
    assert len(sidebar_inputs) >= 6, "Tab should reach every filter (place, sector, aim, way, theme, partner)"
    labels = " | ".join(s["label"] for s in seen if not s["sidebar"])
    for control in ("Download PNG", "Download SVG", "Show as table"):
        assert control in labels, f"Tab never reached {control!r}; reached: {labels}"


def test_keyboard_alone_drives_the_presentation(page, app_url):
    open_page(page, app_url + "/Presentation?slide=1")
    labels = " | ".join(s["label"] for s in focus_walk(page, 25))
    for control in ("Next", "Download PNG", "Show as table", "Board pack (PowerPoint)"):
        assert control in labels, f"Tab never reached {control!r}; reached: {labels}"
