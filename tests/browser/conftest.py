"""A real streamlit server on 127.0.0.1 and a real Chromium (Debian's, never downloaded) driven by Playwright."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.conftest import PROJECT_ROOT, SERVER_FLAGS

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

pytestmark = pytest.mark.browser


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(database: Path, log: Path, extra_env: dict | None = None) -> tuple[subprocess.Popen, str]:
    """Start `streamlit run app.py` on a free port against a database; (process, base URL) once healthy."""
    port = free_port()
    env = {**os.environ, "STRATEGY_DB": str(database), **(extra_env or {})}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "app.py",
        "--server.port",
        str(port),
        *SERVER_FLAGS,
    ]
    process = subprocess.Popen(command, cwd=PROJECT_ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as answer:
                if answer.status == 200:
                    return process, url
        except OSError:
            time.sleep(0.3)
        if process.poll() is not None:
            break
    process.kill()
    raise RuntimeError(f"streamlit did not start; see {log}")


@pytest.fixture(scope="session")
def server_db(demo_db_file, tmp_path_factory) -> Path:
    """The browser tests' own copy of the demo database (the server writes to it)."""
    copy = tmp_path_factory.mktemp("server") / "server.duckdb"
    shutil.copy(demo_db_file, copy)
    return copy


@pytest.fixture(scope="session")
def app_url(server_db, test_output) -> str:
    """Base URL of a streamlit server running the dashboard on the demo database."""
    process, url = start_server(server_db, test_output / "streamlit-server.log")
    yield url
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


_SHARED: dict = {"users": 0}


@pytest.fixture(scope="session")
def browser(request):
    """One Chromium for the whole run. Other folders import this fixture (tests/system), which gives them a session
    fixture of their own, but Playwright's sync API runs one instance per process: so every importer shares the one
    instance here, and the last to finish closes it."""
    if not Path(CHROMIUM).exists():
        missing = (
            f"Chromium is missing at {CHROMIUM}: install the Debian package chromium "
            "(`sudo apt-get install chromium`, or `make system` as root)"
        )
        if request.config.getoption("--browser"):  # the full gate (make test): never pass without the browser tests
            pytest.fail(missing + "; `make test` needs it.")
        pytest.skip(missing + ".")
    from playwright.sync_api import sync_playwright

    if not _SHARED["users"]:
        _SHARED["playwright"] = sync_playwright().start()
        _SHARED["browser"] = _SHARED["playwright"].chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_FLAGS, headless=True
        )
    _SHARED["users"] += 1
    try:
        yield _SHARED["browser"]
    finally:
        _SHARED["users"] -= 1
        if not _SHARED["users"]:
            _SHARED.pop("browser").close()
            _SHARED.pop("playwright").stop()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


NEW_ORGANISATION = "A new organisation…"  # strategy.rounds.organisations.NEW_ORGANISATION


def choose_organisation(page, name: str) -> None:
    """On the Upload page: choose the organisation from the list, or, when it is not a partner yet, add it: 'A new
    organisation…', its name, and the confirmation."""
    page.get_by_role("combobox", name="Your organisation").click()
    page.keyboard.type(name)
    page.wait_for_timeout(300)
    option = page.get_by_role("option", name=name, exact=True)
    if option.count():
        option.click()
        wait_for_app(page)
        return
    page.keyboard.press("Escape")
    page.get_by_role("combobox", name="Your organisation").click()
    page.keyboard.type("A new organisation")
    page.get_by_role("option", name=NEW_ORGANISATION).click()
    wait_for_app(page)
    field = page.get_by_role("textbox", name="Name of the new organisation")
    field.fill(name)
    field.press("Enter")
    wait_for_app(page)
    page.get_by_text(f"Yes, add {name} as a new partner organisation").click()
    wait_for_app(page)


def wait_for_app(page) -> None:
    """Wait until the script has finished running (no 'running' indicator) and the main block is drawn."""
    page.wait_for_selector("[data-testid='stMain']")
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000)


def screenshot(page, path) -> None:
    """The whole page as a picture: Streamlit scrolls its main pane, not the page, so a full-page screenshot stops
    at the window; the window is made as tall as the main pane's content for the picture, then put back."""
    wait_for_app(page)
    size = page.viewport_size
    height = page.evaluate("() => document.querySelector('[data-testid=\"stMain\"]').scrollHeight")
    page.mouse.move(1, 1)  # no tooltip left over the page
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(height + 40, 6000))})
    page.wait_for_timeout(1000)  # the data grids draw again at the new size
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
