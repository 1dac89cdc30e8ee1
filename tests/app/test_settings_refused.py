"""A mistyped resource setting (STRATEGY_CACHE_ENTRIES, STRATEGY_WARMING, STRATEGY_MEMORY_LIMIT) is shown by every
page as the maintenance message with the setting named, never a traceback or a dashboard running on a guess."""

from __future__ import annotations

import pytest

from strategy.ui import data

MAINTENANCE_TITLE = "The dashboard is being looked after"


def test_a_mistyped_cache_setting_shows_the_maintenance_message_naming_it(open_page, app_demo_db, monkeypatch):
    monkeypatch.setenv("STRATEGY_CACHE_ENTRIES", "lots")
    monkeypatch.setattr(data, "SETTING_PROBLEM", data.cache_entries_setting()[1])  # as read when the server starts

    app = open_page("pages/1_Alignment.py", app_demo_db)

    assert not app.exception and MAINTENANCE_TITLE in [title.value for title in app.title]
    assert "STRATEGY_CACHE_ENTRIES='lots'" in app.expander[0].text[0].value
    assert not app.get("plotly_chart")


def test_a_mistyped_warming_setting_shows_the_maintenance_message_naming_it(open_page, app_demo_db, monkeypatch):
    monkeypatch.setenv("STRATEGY_WARMING", "of")
    monkeypatch.setattr(data, "SETTING_PROBLEM", data.warming_setting()[1])  # as read when the server starts

    app = open_page("app.py", app_demo_db)

    assert not app.exception and MAINTENANCE_TITLE in [title.value for title in app.title]
    assert "STRATEGY_WARMING='of'" in app.expander[0].text[0].value


@pytest.mark.parametrize("typo", ["2GBB"])
def test_a_mistyped_memory_limit_shows_the_maintenance_message_naming_it(open_page, app_demo_db, monkeypatch, typo):
    monkeypatch.setenv("STRATEGY_MEMORY_LIMIT", typo)

    app = open_page("app.py", app_demo_db)

    assert not app.exception and MAINTENANCE_TITLE in [title.value for title in app.title]
    assert f"STRATEGY_MEMORY_LIMIT={typo!r}" in app.expander[0].text[0].value
