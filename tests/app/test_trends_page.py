"""The Trends page renders on demo and empty data, follows the place filter, and imports a Fingertips download."""

import json
import shutil
from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.apptest import open_app

PAGE = "pages/4_Trends.py"
FINGERTIPS_DOWNLOAD = (Path(__file__).resolve().parents[1] / "fixtures" / "fingertips_93015_download.csv").read_bytes()


def _page(monkeypatch, database, **query) -> AppTest:
    """The page on a private copy of a database: the app's cached read-write connection to a file would clash
    with the read-only demo_con other tests in this process hold on the shared demo file."""
    monkeypatch.setenv("STRATEGY_DB", str(database))
    return open_app(PAGE, query)


def _chart(at) -> dict:
    return json.loads(at.get("plotly_chart")[0].proto.spec)


def _summary_table(at):
    """The 'All places' table: the second dataframe (the first is the chart's table view)."""
    return at.dataframe[1].value


def _trace_names(at) -> list[str]:
    return [t.get("name") for t in _chart(at)["data"]]


def test_the_place_in_the_link_is_drawn_against_england_with_the_activity_bars(monkeypatch, demo_db_copy):
    at = _page(monkeypatch, demo_db_copy, place="E07000174")
    names = _trace_names(at)
    assert "Mansfield" in names and "England" in names
    assert any(name and name.startswith("Activities started for aim A1") for name in names)
    assert any("Intervals are not published in this extract" in i.value for i in at.info)


def test_choosing_another_indicator_redraws_the_chart(monkeypatch, demo_db_copy):
    at = _page(monkeypatch, demo_db_copy, place="E07000174")
    at.selectbox(key="trend_indicator").set_value("93015").run()
    assert _chart(at)["layout"]["title"]["text"].startswith("Inactive adults")
    assert any(name and name.startswith("Activities started for aim A3") for name in _trace_names(at))


def test_the_summary_table_lists_every_place_for_the_latest_period(monkeypatch, demo_db_copy, framework):
    at = _page(monkeypatch, demo_db_copy)
    table = _summary_table(at)
    assert len(table) == len(framework.local_places()) + 1
    assert set(table.period) == {"2024/25"}


def test_the_page_renders_on_an_empty_database(monkeypatch, empty_db_file, tmp_path):
    at = _page(monkeypatch, shutil.copy(empty_db_file, tmp_path / "empty.duckdb"))
    assert "England" in _trace_names(at)


def test_a_fingertips_download_uploaded_on_the_page_gives_comparisons(monkeypatch, demo_db_copy):
    at = _page(monkeypatch, demo_db_copy, place="E07000174")
    at.selectbox(key="trend_indicator").set_value("93015").run()
    at.file_uploader(key="indicator_file").upload("indicator-data.csv", FINGERTIPS_DOWNLOAD, "text/csv").run()
    next(b for b in at.button if b.label == "Load").click().run()
    assert not at.exception
    assert any(s.value.startswith("Loaded: 20 values") for s in at.success)
    at.selectbox(key="trend_period").set_value("2023/24").run()
    table = _summary_table(at).set_index("place_name")
    assert table.loc["Mansfield", "compared_to_england"] == "worse"
    assert table.loc["Rushcliffe", "compared_to_england"] == "better"
    assert any("lower_ci" in (t.get("name") or "") or t.get("fill") == "tonexty" for t in _chart(at)["data"])
