"""An empty database says so plainly on every page, with the way to add data; the learning pages draw only the
filters their lists follow."""

from __future__ import annotations

import pytest

from tests.app.conftest import PAGES

DASHBOARD_PAGES = [
    "app.py",
    "pages/1_Alignment.py",
    "pages/2_Coverage_and_gaps.py",
    "pages/3_Places.py",
    "pages/4_Trends.py",
    "pages/6_Presentation.py",
]
LEARNING_PAGES = [p for p in PAGES if p.split("/")[-1].split("_")[0] in ("7", "8", "9", "10")]
EVERY_FILTER_KEY = {
    "filter_places",
    "filter_sectors",
    "filter_aims",
    "filter_ways",
    "filter_themes",
    "filter_partners",
    "filter_from",
    "filter_to",
}


def widget_keys(app) -> set[str]:
    return {w.key for kind in ("multiselect", "date_input") for w in app.get(kind)}


def upload_links(app) -> list:
    return [
        link
        for link in app.get("page_link")
        if link.proto.page.endswith("5_Upload.py") or link.proto.label == "Upload activities"
    ]


@pytest.mark.parametrize("script", DASHBOARD_PAGES)
def test_dashboard_page_on_an_empty_database_says_there_is_no_data_and_links_to_upload(open_page, app_empty_db, script):
    app = open_page(script, app_empty_db)
    assert not app.exception, [e.value for e in app.exception]
    assert any("No activities yet" in i.value for i in app.info), [i.value for i in app.info]
    # the sidebar lists the Upload page too: the page itself links to it from its message
    assert len(upload_links(app)) >= 2


def test_empty_overview_lists_no_gaps(open_page, app_empty_db):
    app = open_page("app.py", app_empty_db)
    assert not [h.value for h in app.subheader if h.value.startswith("Largest gaps")]
    assert not any("no activit" in m.value.lower() for m in app.markdown if m.value.startswith("- "))
    assert not app.get("plotly_chart")


def test_empty_coverage_page_ranks_no_gaps(open_page, app_empty_db):
    app = open_page("pages/2_Coverage_and_gaps.py", app_empty_db)
    assert not [e for e in app.expander if e.label.startswith("All ")]
    assert not app.get("plotly_chart")


def test_demo_overview_keeps_its_figures(open_page, app_demo_db):
    app = open_page("app.py", app_demo_db)
    assert not any("No activities yet" in i.value for i in app.info)
    assert [h.value for h in app.subheader if h.value.startswith("Largest gaps")]


@pytest.mark.parametrize("script", LEARNING_PAGES)
def test_learning_pages_draw_only_the_filters_their_lists_follow(open_page, app_demo_db, script):
    app = open_page(script, app_demo_db)
    assert not app.exception, [e.value for e in app.exception]
    keys = widget_keys(app) & EVERY_FILTER_KEY
    assert keys == {"filter_places", "filter_aims", "filter_partners"}
    assert any("apply on the dashboard pages" in c.value for c in app.sidebar.caption)


def test_dashboard_pages_keep_every_filter(open_page, app_demo_db):
    app = open_page("pages/1_Alignment.py", app_demo_db)
    assert widget_keys(app) & EVERY_FILTER_KEY == EVERY_FILTER_KEY


def test_a_hidden_filter_keeps_its_value_in_the_link(open_page, app_demo_db):
    app = open_page("pages/9_Experiments.py", app_demo_db, {"sector": "sport", "aim": "A2"})
    assert not app.exception
    assert app.query_params.get("sector") in ("sport", ["sport"])
    assert app.multiselect(key="filter_aims").value == ["A2"]
