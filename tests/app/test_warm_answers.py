"""Warming at start-up (serve.py): the shared views' answers are in the caches the pages read, so the first person
to open a county's or a place's link is served from the cache, with the same numbers."""

from __future__ import annotations

import functools

from strategy import analysis, db
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.ui import data, warming

COUNTED = ("headline_totals", "heatmap", "gaps", "need_vs_effort")


def counting(monkeypatch) -> list[str]:
    """Count every call of the questions the pages would otherwise compute."""
    calls = []
    for name in COUNTED:
        original = getattr(analysis, name)

        @functools.wraps(original)  # the same name and signature: the caches key and call a question by them
        def counted(*args, _name=name, _original=original, **kwargs):
            calls.append(_name)
            return _original(*args, **kwargs)

        monkeypatch.setattr(analysis, name, counted)
    return calls


def test_warmed_views_are_served_from_the_cache_and_others_are_computed(demo_db_copy, open_page, monkeypatch):
    framework = load_framework()
    county = framework.counties()[0]
    place, aim = framework.local_places()[1], framework.aims[2]
    con = db.connect(demo_db_copy, read_only=True)
    try:  # what the pages must show, computed directly before the server's caches are involved
        county_total = analysis.headline_totals(con, framework, Filters(places=(county.code,)))["activities"]
        other_total = analysis.headline_totals(con, framework, Filters(places=(place.code,), aims=(aim.code,)))[
            "activities"
        ]
    finally:
        con.close()
    monkeypatch.setenv("STRATEGY_DB", str(demo_db_copy))
    data.data_changed()
    count, _seconds = warming.warm_shared_answers()
    assert count >= len(warming.shared_views(framework)) * 5
    calls = counting(monkeypatch)

    overview = open_page("app.py", demo_db_copy, {"place": county.code})
    assert not overview.exception
    assert calls == []  # every answer Overview needs for a county was already there
    shown = {m.label: m.value for m in overview.metric}
    assert shown["Activities"] == f"{county_total:,}"

    alignment = open_page("pages/1_Alignment.py", demo_db_copy, {"place": county.code})
    assert not alignment.exception and calls == []

    other = open_page("app.py", demo_db_copy, {"place": place.code, "aim": aim.code})
    assert not other.exception
    assert "headline_totals" in calls  # a place with an aim is not a shared view: computed when first asked
    assert {m.label: m.value for m in other.metric}["Activities"] == f"{other_total:,}"
