"""What the pages say about need and comparisons: no head count from an all-ages population, and Fingertips'
published comparison with England where the real values have no interval."""

import csv

from tests.conftest import PROJECT_ROOT
from tests.unit.test_no_all_ages_head_count import _numbers_in, all_ages_head_counts


def _published(indicator: str, period: str) -> dict[str, str]:
    """Fingertips' own verdict per place name, read straight from the shipped CSV."""
    with open(PROJECT_ROOT / "data" / "reference" / "fingertips_compared_to_england.csv", encoding="utf-8") as f:
        return {
            r["area_name"]: r["compared_to_england"].lower()
            for r in csv.DictReader(f)
            if r["indicator_id"] == indicator and r["period"] == period
        }


def test_the_coverage_page_names_high_need_places_without_a_head_count(open_page, app_demo_db):
    app = open_page("pages/2_Coverage_and_gaps.py", app_demo_db)
    assert not app.exception
    flagged = [m.value for m in app.markdown if m.value.startswith("- **")]
    assert flagged, "the demo has high-need, low-effort places"
    counts = set(all_ages_head_counts().values())
    for text in flagged:
        assert not _numbers_in(text) & counts, text
    for frame in app.dataframe:
        assert not _numbers_in(frame.value.to_string()) & counts


def test_the_trends_table_shows_fingertips_published_comparison_for_the_real_values(open_page, app_demo_db):
    app = open_page("pages/4_Trends.py", app_demo_db, {"indicator": "93015"})
    assert not app.exception
    table = app.dataframe[1].value.set_index("place_name")
    published = _published("93015", "2024/25")
    locals_ = table.drop(index="England")
    assert len(locals_) == 17
    assert locals_.compared_to_england.to_dict() == {name: published[name] for name in locals_.index}
    assert set(locals_.comparison_source) == {"Fingertips' published comparison"}


def test_a_fingertips_download_shows_its_own_verdict_and_trend_beside_ours(open_page, demo_db_copy):
    app = open_page("pages/4_Trends.py", demo_db_copy, {"indicator": "93015"})
    download = PROJECT_ROOT / "tests" / "fixtures" / "fingertips_93015_download.csv"
    app.file_uploader(key="indicator_file").upload("indicator-data.csv", download.read_bytes(), "text/csv").run()
    next(b for b in app.button if b.label == "Load").click().run()
    assert not app.exception
    app.selectbox(key="trend_period").set_value("2023/24").run()
    table = app.dataframe[1].value.set_index("place_name")
    with open(download, encoding="utf-8") as f:
        own = {
            r["Area Name"]: r
            for r in csv.DictReader(f)
            if r["Sex"] == "Persons" and not r["Category Type"] and r["Time period"] == "2023/24"
        }
    mansfield = table.loc["Mansfield"]
    # The interval decides ours (33.7%, 29.7-38.0, against England's 22.1%); the file's own words are kept beside it.
    assert (mansfield.compared_to_england, mansfield.comparison_source) == ("worse", "our rule on the 95% interval")
    assert mansfield.published_comparison == own["Mansfield"]["Compared to England value or percentiles"].lower()
    assert mansfield.published_trend == own["Mansfield"]["Recent Trend"].lower()
    assert table.loc["Bolsover", "comparison_source"] == "Fingertips' published comparison"


def test_a_place_profile_says_where_its_comparisons_with_england_come_from(open_page, app_demo_db):
    app = open_page("pages/3_Places.py", app_demo_db)
    app.selectbox(key="profile_place").set_value("E07000034").run()  # Chesterfield
    assert not app.exception
    published = _published("93015", "2024/25")["Chesterfield"]
    words = {"better": "better than England", "worse": "worse than England", "similar": "similar to England"}
    assert any(
        f"Inactive adults {words[published]} (Fingertips' published comparison)" in c.value for c in app.caption
    ), [c.value for c in app.caption]
