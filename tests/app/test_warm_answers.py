"""Warming at start-up (serve.py): the shared views' answers and figures, and each place's with each aim, are in the
caches the pages read, so the first person to open a county's or a place's link (with an aim or not) is served from
the cache, with the same numbers."""

from __future__ import annotations

import functools

import plotly.graph_objects as go

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
    place, aim, sector = framework.local_places()[1], framework.aims[2], framework.sectors[0]
    narrowed = Filters(places=(place.code,), aims=(aim.code,))
    other_view = Filters(places=(place.code,), sectors=(sector.code,))
    con = db.connect(demo_db_copy, read_only=True)
    try:  # what the pages must show, computed directly before the server's caches are involved
        county_total = analysis.headline_totals(con, framework, Filters(places=(county.code,)))["activities"]
        narrowed_total = analysis.headline_totals(con, framework, narrowed)["activities"]
        other_total = analysis.headline_totals(con, framework, other_view)["activities"]
    finally:
        con.close()
    # every place with every aim is warmed; here only three of them, so the test stays quick
    every = warming.place_and_aim_views(framework)
    assert {(f.places, f.aims) for f in every} == {
        ((p.code,), (a.code,)) for p in framework.local_places() for a in framework.aims
    }
    assert other_view not in every
    monkeypatch.setattr(warming, "place_and_aim_views", lambda _framework: [every[0], narrowed, every[-1]])
    monkeypatch.setenv("STRATEGY_DB", str(demo_db_copy))
    data.data_changed()
    answers, figures, _seconds = warming.warm_shared_answers()
    assert answers >= (len(warming.shared_views(framework)) + 3) * 5
    assert figures == (len(warming.shared_views(framework)) + 3) * 7
    calls = counting(monkeypatch)

    overview = open_page("app.py", demo_db_copy, {"place": county.code})
    assert not overview.exception
    assert calls == []  # every answer Overview needs for a county was already there
    shown = {m.label: m.value for m in overview.metric}
    assert shown["Activities"] == f"{county_total:,}"

    alignment = open_page("pages/1_Alignment.py", demo_db_copy, {"place": county.code})
    assert not alignment.exception and calls == []

    one_aim = open_page("app.py", demo_db_copy, {"place": place.code, "aim": aim.code})
    assert not one_aim.exception and calls == []  # a place with one aim was warmed too
    assert {m.label: m.value for m in one_aim.metric}["Activities"] == f"{narrowed_total:,}"

    other = open_page("app.py", demo_db_copy, other_view.to_query())
    assert not other.exception
    assert "headline_totals" in calls  # a place with a sector is not warmed: computed when first asked
    assert {m.label: m.value for m in other.metric}["Activities"] == f"{other_total:,}"


DASHBOARD_PAGES = ("app.py", "pages/1_Alignment.py", "pages/2_Coverage_and_gaps.py", "pages/3_Places.py")


def test_a_warmed_views_pages_build_no_figure_on_their_first_visit(demo_db_copy, open_page, monkeypatch):
    """Every plotly figure a warmed link opens on (the heatmaps with their click layers, need against effort, the
    map, the profile's bars, the trend chart, and each one's screen copy) was built at start-up: the first visit
    constructs none. A view that was not warmed does, which shows the count would see one."""
    framework = load_framework()
    place, aim, sector = framework.local_places()[4], framework.aims[1], framework.sectors[1]
    warmed, county = Filters(places=(place.code,), aims=(aim.code,)), Filters(places=(framework.counties()[1].code,))
    monkeypatch.setattr(warming, "place_and_aim_views", lambda _framework: [warmed])
    monkeypatch.setattr(warming, "shared_views", lambda _framework: [county])
    monkeypatch.setenv("STRATEGY_DB", str(demo_db_copy))
    data.data_changed()
    warming.warm_shared_answers()
    built = []
    original = go.Figure.__init__

    def counted(self, *args, **kwargs):
        built.append(1)
        original(self, *args, **kwargs)

    monkeypatch.setattr(go.Figure, "__init__", counted)
    for filters in (warmed, county):
        for script in (*DASHBOARD_PAGES, "pages/4_Trends.py"):
            at = open_page(script, demo_db_copy, filters.to_query())
            assert not at.exception, (script, at.exception)
            assert built == [], f"{script} with {filters.to_query()} built {len(built)} figures"
    for script in DASHBOARD_PAGES:  # the same place with a sector: not warmed
        built.clear()
        at = open_page(script, demo_db_copy, Filters(places=(place.code,), sectors=(sector.code,)).to_query())
        assert not at.exception and built, script


def test_the_answers_frozen_after_warming_are_handed_back_to_the_collector_when_data_changes():
    """serve.py freezes what is alive once warming is done (the collector's full passes then skip it); when data
    changes the caches let go of those answers, so they must be collectable again, or they would never be freed."""
    import gc

    gc.freeze()
    try:
        assert gc.get_freeze_count() > 0
        data.data_changed()
        assert gc.get_freeze_count() == 0
    finally:
        gc.unfreeze()
