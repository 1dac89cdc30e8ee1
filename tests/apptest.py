"""The one way the tests open a page in AppTest: app.py runs with the page chosen, as the browser does (so links
between pages resolve and the page list is the real one). The database, mode and other settings come from the
environment, which each test sets (monkeypatch.setenv("STRATEGY_DB", ...)) before opening a page."""

from __future__ import annotations

from functools import cache

from streamlit.components.v2.component_manager import BidiComponentManager
from streamlit.testing.v1 import AppTest

from tests.conftest import PROJECT_ROOT

APP = str(PROJECT_ROOT / "app.py")


@cache
def installed_components() -> BidiComponentManager:
    """Streamlit's registry of installed custom components, scanned once per test run. A new AppTest scans the
    metadata of every installed package for it (about 0.2 s of CPU, as much as a warm page run itself), and the
    installed packages do not change while the tests run; a server scans once when it starts, as here."""
    manager = BidiComponentManager()
    manager.discover_and_register_components(start_file_watching=False)
    return manager


def open_app(
    script: str = "app.py",
    query: dict | None = None,
    *,
    state: dict | None = None,
    secrets: dict | None = None,
    user: dict | None = None,
    timeout: float = 60,
    check: bool = True,
) -> AppTest:
    """The page `script` (a path from the project root) run once: with the query string, session state, secrets
    and signed-in user (st.user's claims) given; with check, a test fails here if the page raised."""
    app = AppTest.from_file(APP, default_timeout=timeout)
    app._bidi_component_manager = installed_components()  # AppTest's own slot for it, filled on its first run
    if script != "app.py":  # pages run as part of the app, as in the browser
        app.switch_page(script)
    for key, value in (query or {}).items():
        app.query_params[key] = value
    for key, value in (state or {}).items():
        app.session_state[key] = value
    if secrets:
        app.secrets.update(secrets)
    if user is not None:
        app.user = user
    app.run()
    if check:
        assert not app.exception, [e.value for e in app.exception]
    return app


def forget_answers() -> None:
    """Drop the server's cached connection and answers, as between tests that change the database file."""
    import streamlit as st

    from strategy.ui import connection

    connection.clear()
    st.cache_data.clear()
