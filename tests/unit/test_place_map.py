"""The Places map: the areas' boundaries as a choropleth by default, coloured by the chosen measure, with the
boundaries' attribution; centre points when the boundary file is missing; a broken file refused plainly."""

from __future__ import annotations

import json

import pytest

from strategy import analysis, charts
from strategy.charts.labels import MAP_NAMES, place_map_labels
from strategy.filters import Filters

ATTRIBUTION = "Contains OS data © Crown copyright and database right 2019; ONS, Open Government Licence v3.0"


def _map(table, boundaries, measure="investment_per_head"):
    return charts.place_map_figure(
        table, measure, "Investment per head (£)", "Investment per head by place", "Source: test", boundaries
    )


def test_choropleth_has_one_area_per_place_in_view_coloured_by_the_measure(demo_con, framework, monkeypatch):
    monkeypatch.delenv("STRATEGY_BOUNDARIES", raising=False)
    derbyshire = framework.places_within("E10000007")
    table = analysis.need_vs_effort(demo_con, framework, Filters(places=("E10000007",)))
    figure = _map(table, charts.read_boundaries())
    [areas] = [t for t in figure.data if t.type == "choropleth"]
    assert sorted(areas.locations) == sorted(derbyshire)  # the eight districts in view, each once
    assert areas.featureidkey == "properties.area_code"
    assert figure.layout.geo.fitbounds == "locations" and figure.layout.geo.visible is False
    # colours come from the measure: each area's value is its investment per head, worked out here again
    expected = {code: row.investment / row.population for code, row in table.set_index("place_code").iterrows()}
    assert dict(zip(areas.locations, areas.z)) == pytest.approx(expected)
    assert ATTRIBUTION in [a.text for a in figure.layout.annotations]


def test_every_shipped_boundary_is_one_of_the_partnership_areas(framework, monkeypatch):
    monkeypatch.delenv("STRATEGY_BOUNDARIES", raising=False)
    boundaries = charts.read_boundaries()
    codes = [f["properties"]["area_code"] for f in boundaries["features"]]
    assert sorted(codes) == sorted(p.code for p in framework.local_places())


def test_outlines_are_wound_as_plotly_reads_them(tmp_path):
    """A square written anticlockwise (RFC 7946) is turned clockwise; plotly would otherwise fill the world."""
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]  # anticlockwise: positive shoelace area
    file = tmp_path / "areas.geojson"
    file.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"area_code": "E07000174"},
                        "geometry": {"type": "Polygon", "coordinates": [square]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    ring = charts.read_boundaries(file)["features"][0]["geometry"]["coordinates"][0]
    area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2
    assert area == -1.0


def test_a_missing_boundary_file_falls_back_to_centre_points(demo_con, framework, monkeypatch, tmp_path):
    monkeypatch.setenv("STRATEGY_BOUNDARIES", str(tmp_path / "not-there.geojson"))
    assert charts.read_boundaries() is None
    table = analysis.need_vs_effort(demo_con, framework, Filters())
    figure = _map(table, charts.read_boundaries())
    assert not [t for t in figure.data if t.type == "choropleth"]
    [points] = [t for t in figure.data if t.type == "scatter"]
    assert list(points.hovertext) == list(table.place_name)
    assert list(points.marker.color) == pytest.approx(list(table.investment / table.population))
    assert ATTRIBUTION not in [a.text for a in figure.layout.annotations]


def test_the_setting_picks_another_boundary_file(monkeypatch, tmp_path):
    file = tmp_path / "mansfield.geojson"
    file.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"area_code": "E07000174"},
                        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    monkeypatch.setenv("STRATEGY_BOUNDARIES", str(file))
    assert [f["properties"]["area_code"] for f in charts.read_boundaries()["features"]] == ["E07000174"]


@pytest.mark.parametrize(
    "content",
    [
        "not json at all",
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"LAD19CD": "E07000174"},
                        "geometry": {"type": "Polygon", "coordinates": []},
                    }
                ],
            }
        ),
    ],
)
def test_a_broken_boundary_file_is_refused_naming_the_file(tmp_path, content):
    file = tmp_path / "broken.geojson"
    file.write_text(content, encoding="utf-8")
    with pytest.raises(charts.BoundaryFileError, match="broken.geojson"):
        charts.read_boundaries(file)


def test_the_boundaries_are_the_strategy_reference_folders_own(monkeypatch, tmp_path):
    """Without STRATEGY_BOUNDARIES the map draws the GeoJSON in the strategy's reference folder; the fictional
    Riverside strategy ships none, so its map draws centre points rather than another partnership's areas."""
    from tests.conftest import STRATEGIES, strategy_settings

    monkeypatch.delenv("STRATEGY_BOUNDARIES", raising=False)
    with strategy_settings(*STRATEGIES["riverside"]):
        assert charts.boundaries_path() is None
        assert charts.read_boundaries() is None
    framework_file, reference = STRATEGIES["making-our-move"]
    folder = tmp_path / "reference"
    folder.mkdir()
    for required in ("indicators.toml", "population.csv", "area_centroids.csv"):
        (folder / required).write_bytes((reference / required).read_bytes())
    (folder / "areas.geojson").write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"area_code": "E07000174"},
                        "geometry": {"type": "Polygon", "coordinates": [[[0, 0], [0, 1], [1, 1], [0, 0]]]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    with strategy_settings(framework_file, folder):
        assert charts.boundaries_path() == folder / "areas.geojson"
        assert [f["properties"]["area_code"] for f in charts.read_boundaries()["features"]] == ["E07000174"]


@pytest.mark.parametrize("measure", ["activities_per_100k", "investment_per_head", "inactive_pct"])
def test_the_highest_and_lowest_places_are_named_on_the_map_even_where_names_are_left_off(demo_con, framework, measure):
    """The slide's headline names the highest and lowest places: on a map too small for all 17 names, those two
    are placed first, so they are the last to be left off."""
    table = analysis.need_vs_effort(demo_con, framework, Filters())
    fig = charts.place_map_figure(table, measure, "Measure", "title", "source", charts.read_boundaries())
    small = place_map_labels(fig.update_layout(height=420), 600)
    names = next(trace for trace in small.data if trace.meta == MAP_NAMES)
    shown = {name for name in names.text if name}
    ranked = table.dropna(subset=[measure]).sort_values(measure)
    assert len(shown) < len(table)  # the size is small enough that some names are left off
    assert {ranked.place_name.iloc[0], ranked.place_name.iloc[-1]} <= shown
