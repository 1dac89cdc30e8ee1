"""The Places page draws the areas' boundaries by default and says when it falls back to centre points, without
showing the setting's name to the reader."""

from __future__ import annotations

import json


def _map_spec(app) -> dict:
    return json.loads(app.get("plotly_chart")[0].proto.spec)


def test_places_page_draws_the_boundaries_by_default(open_page, app_demo_db, monkeypatch):
    monkeypatch.delenv("STRATEGY_BOUNDARIES", raising=False)
    app = open_page("pages/3_Places.py", app_demo_db)
    assert not app.exception, [e.value for e in app.exception]
    [areas] = [t for t in _map_spec(app)["data"] if t["type"] == "choropleth"]
    assert len(areas["locations"]) == 17
    assert any("ONS district boundaries" in c.value for c in app.caption)


def test_places_page_says_when_it_falls_back_to_centre_points(open_page, app_demo_db, monkeypatch, tmp_path):
    monkeypatch.setenv("STRATEGY_BOUNDARIES", str(tmp_path / "moved-away.geojson"))
    app = open_page("pages/3_Places.py", app_demo_db)
    assert not app.exception, [e.value for e in app.exception]
    assert not [t for t in _map_spec(app)["data"] if t["type"] == "choropleth"]
    shown = " ".join(c.value for c in app.caption)
    assert "centre point" in shown and "STRATEGY_BOUNDARIES" not in shown


def test_places_page_with_a_broken_boundary_file_draws_centre_points(open_page, app_demo_db, monkeypatch, tmp_path):
    broken = tmp_path / "broken.geojson"
    broken.write_text("{ not json", encoding="utf-8")
    monkeypatch.setenv("STRATEGY_BOUNDARIES", str(broken))
    app = open_page("pages/3_Places.py", app_demo_db)
    assert not app.exception, [e.value for e in app.exception]
    shown = " ".join(c.value for c in app.caption)
    assert "could not be read" in shown and "STRATEGY_BOUNDARIES" not in shown and "broken.geojson" not in shown
