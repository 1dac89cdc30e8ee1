"""Every label on the pages says what its number means (tests/unit/test_label_meanings.py checks the rules)."""

from __future__ import annotations

import json
from datetime import date

from strategy import analysis, periods
from strategy.access import User
from strategy.filters import Filters
from strategy.indicators.trends import period_label
from strategy.loop import decisions
from tests.app.test_loop_pages import database, server_connection  # noqa: F401
from tests.app.test_loop_pages import open_page as open_loop_page
from tests.conftest import DEMO_TODAY

MANSFIELD = "E07000174"
SO_FAR = f"{DEMO_TODAY.year} (1 January to {DEMO_TODAY.day} {DEMO_TODAY:%B})"


def _texts(app) -> str:
    """The page's words, with Markdown's escapes taken out (() escapes text from the data)."""
    words = " ".join(
        [e.value for e in app.markdown]
        + [e.value for e in app.caption]
        + [e.value for e in app.subheader]
        + [e.value for e in app.success]
    )
    return words.replace("\\", "")


def test_coverage_names_the_part_of_the_year_the_thin_yardstick_and_the_what_if_population(open_page, app_demo_db):
    app = open_page("pages/2_Coverage_and_gaps.py", app_demo_db)
    app.session_state["whatif_open"] = True  # the what-if scenario, opened
    app.run()
    assert not app.exception
    assert f"Gaps in {SO_FAR}, worst first" in [s.value for s in app.subheader]
    text = _texts(app)
    assert (analysis.THIN_RULE) in text
    assert (f"an activity planned to start later in {DEMO_TODAY.year} counts already") in text
    local = len(analysis.need_vs_effort(server_connection(), _framework(), Filters()))
    assert (f"of all the partnership's {local} places, whatever the place filter") in text
    assert ("by investment per head (all dates)") in text
    gaps = analysis.gaps(server_connection(), _framework(), Filters(), today=DEMO_TODAY)
    none, thin = int((gaps.kind == "none").sum()), int((gaps.kind == "thin").sum())
    pairs = "place-aim pair has" if none == 1 else "place-aim pairs have"
    assert f"**{none}** {pairs} no activity and **{thin}** {'has' if thin == 1 else 'have'} thin activity" in text


def _framework():
    from strategy.framework import load_framework

    return load_framework()


def test_overview_says_these_places_share_and_what_about_this_data_counts(open_page, app_demo_db):
    app = open_page("app.py", app_demo_db, {"place": MANSFIELD})
    assert not app.exception
    con = server_connection()
    share, everything = con.execute(
        "SELECT (SELECT sum(a.investment_gbp * s.share) FROM activities a JOIN activity_places s USING (activity_key)"
        " WHERE a.replaced_by_upload IS NULL AND s.place_code = ?), "
        "(SELECT count(*) FROM activities WHERE replaced_by_upload IS NULL)",
        [MANSFIELD],
    ).fetchone()
    invested = next(m.proto.help for m in app.metric if m.label == "Investment")
    assert invested.startswith(f"£{share:,.0f}: these places' share of the investment")
    text = _texts(app)
    assert (f"{everything:,} activities on record") in text
    assert ("whether running, ended or planned") in text and "current activities" not in text
    assert f"Largest gaps in {SO_FAR}" in text


def test_the_alignment_drill_down_counts_attendances(open_page, app_demo_db):
    app = open_page("pages/1_Alignment.py", app_demo_db)
    assert not app.exception
    labels = {
        key: value.get("label")
        for frame in app.dataframe
        for key, value in json.loads(frame.proto.columns or "{}").items()
    }
    assert "Participants (attendances), whole" in labels.values()
    assert "Participants (attendances) in this cell" in labels.values()
    assert not any(str(label).startswith("Participants (whole)") for label in labels.values())


def test_learning_log_counts_overdue_commitments_apart_from_open_ones(open_page, app_demo_db):
    app = open_page("pages/10_Learning_log.py", app_demo_db)
    assert not app.exception
    con = server_connection()
    late, still_open, kept = con.execute(
        "SELECT count(*) FILTER (WHERE done_on IS NULL AND due_date < current_date), "
        "count(*) FILTER (WHERE done_on IS NULL AND (due_date IS NULL OR due_date >= current_date)), "
        "count(*) FILTER (WHERE done_on IS NOT NULL) FROM reflections WHERE commitment IS NOT NULL"
    ).fetchone()
    tiles = {m.label: m.value for m in app.metric}
    assert tiles == {
        "Open, not past their date": str(still_open),
        "Past their date, not kept": str(late),
        "Kept": str(kept),
    }


def test_places_map_summary_has_units_and_the_inactive_tile_the_kind_of_year(open_page, app_demo_db):
    app = open_page("pages/3_Places.py", app_demo_db)
    assert not app.exception
    text = _texts(app)
    assert "per head)" in text and ("apportioned between the activity's places by population") in text
    con = server_connection()
    shown = app.selectbox(key="profile_place").value
    latest = con.execute(
        "SELECT max(period) FROM indicator_values WHERE indicator_id = '93015' AND place_code = ?", [shown]
    ).fetchone()[0]
    inactive = next(m.proto.help for m in app.metric if m.label == "Adults inactive")
    assert f"Active Lives {latest} (mid-Nov to mid-Nov)" in inactive
    assert period_label(latest, "11-16") == f"{latest} (mid-Nov to mid-Nov)"
    assert f"Gaps here in {SO_FAR}" in text


def test_the_decisions_table_shows_the_view_in_words_and_keeps_its_link(database):  # noqa: F811
    con = server_connection()
    view = Filters(places=(MANSFIELD,), date_from=date(2026, 1, 1))
    decisions.record_decision(
        con,
        _framework(),
        User("analyst@example.org", "analyst"),
        "Fund walking groups",
        "Mansfield District Council",
        view,
        view_page="Overview",
        today=periods.today(),
    )
    app = open_loop_page("pages/6_Presentation.py")
    slide_table = app.dataframe[0].value  # the pack's first slide: Since last time
    assert slide_table["View"].tolist() == ["Overview: Places: Mansfield; Period: 1 January 2026 onwards"]
    shown = next(frame.value for frame in app.dataframe if "Link" in frame.value.columns)  # the decisions' states
    assert shown["View"].tolist() == ["Overview: Places: Mansfield; Period: 1 January 2026 onwards"]
    assert shown["Link"].tolist() == ["?place=E07000174&from=2026-01-01"]
    assert shown["Recorded"].tolist() == [f"{DEMO_TODAY.day} {DEMO_TODAY:%B %Y}"]
