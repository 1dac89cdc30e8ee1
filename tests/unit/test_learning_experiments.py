"""Experiments: the linked activity every alignment view counts, versions on edit, refusals that write nothing."""

from datetime import date

import plotly.graph_objects as go
import pytest

from strategy import analysis, db
from strategy.access import User
from strategy.filters import Filters
from strategy.learning import experiments, markers

MANSFIELD = "E07000174"


@pytest.fixture
def con(demo_db_copy):
    con = db.connect(demo_db_copy)
    yield con
    con.close()


def a_partner(con, sector="sport"):
    return con.execute("SELECT name FROM partners WHERE sector = ? ORDER BY partner_id LIMIT 1", [sector]).fetchall()[
        0
    ][0]


def register(con, framework, **changes):
    fields = dict(
        title="Park run for dads",
        hypothesis="If dads run together, they keep running.",
        lead_partner=a_partner(con),
        start_date=date(2025, 3, 1),
        aims=["A3"],
        places=[MANSFIELD],
        ways=["W6"],
        indicators=["93015"],
        status="running",
    )
    return experiments.save_experiment(con, framework, User("analyst@example.org", "analyst"), **(fields | changes))


def test_registering_adds_an_experiment_activity_to_the_alignment_cell(con, framework):
    before = analysis.heatmap(con, framework, Filters(places=(MANSFIELD,)), "aim", "way")
    saved = register(con, framework)
    assert saved.ok
    after = analysis.heatmap(con, framework, Filters(places=(MANSFIELD,)), "aim", "way")
    cell = lambda cells: int(cells.set_index(["row_code", "column_code"]).loc[("A3", "W6"), "activities"])  # noqa: E731
    assert cell(after) == cell(before) + 1
    behind = analysis.activities_in_cell(con, framework, Filters(places=(MANSFIELD,)), "aim", "A3", "way", "W6")
    row = behind[behind.activity_id == f"EXP-{saved.record_id}"].iloc[0]
    assert bool(row.is_experiment) and row.partner == a_partner(con) and row.sector == "Sport"


def test_the_linked_activity_has_its_own_upload_of_kind_experiment_and_an_audit_row(con, framework):
    saved = register(con, framework)
    kind, partner = con.execute(
        "SELECT u.kind, p.name FROM activities a JOIN uploads u USING (upload_id) JOIN partners p "
        "ON p.partner_id = a.partner_id WHERE a.activity_id = ? AND a.replaced_by_upload IS NULL",
        [f"EXP-{saved.record_id}"],
    ).fetchall()[0]
    assert kind == "experiment" and partner == a_partner(con)
    actor, upload = con.execute(
        "SELECT actor, upload_id FROM audit_log WHERE action = 'experiment saved' ORDER BY audit_id DESC LIMIT 1"
    ).fetchall()[0]
    assert actor == "analyst@example.org" and upload is not None


def test_editing_makes_a_new_activity_version_and_keeps_one_current(con, framework):
    saved = register(con, framework)
    register(
        con,
        framework,
        experiment_id=saved.record_id,
        status="closed",
        decision="amplify",
        review_date=date(2025, 9, 1),
        learned="Dads came back.",
    )
    versions = con.execute(
        "SELECT version, replaced_by_upload IS NULL, status, end_date FROM activities "
        "WHERE activity_id = ? ORDER BY version",
        [f"EXP-{saved.record_id}"],
    ).fetchall()
    assert [(v, current) for v, current, _, _ in versions] == [(1, False), (2, True)]
    assert versions[-1][2:] == ("completed", date(2025, 9, 1))


def test_closing_without_a_decision_and_an_unknown_partner_are_refused_and_nothing_is_written(con, framework):
    before = db.table_counts(con)
    saved = register(con, framework, status="closed", lead_partner="Nobody Ltd", places=[], aims=[])
    assert not saved.ok
    text = " ".join(saved.problems)
    assert "decision" in text and "Nobody Ltd" in text and "place" in text and "aim" in text
    assert db.table_counts(con) == before


def test_review_before_start_is_refused(con, framework):
    saved = register(con, framework, review_date=date(2024, 1, 1))
    assert not saved.ok and "before the start" in saved.problems[0]


def test_markers_follow_the_indicator_watched_and_the_place_filter(con, framework):
    saved = register(con, framework)
    watching = markers.experiment_markers(con, framework, Filters(), "93015")
    assert saved.record_id in watching.experiment_id.tolist()
    assert saved.record_id not in markers.experiment_markers(con, framework, Filters(), "93570").experiment_id.tolist()
    assert (
        saved.record_id
        not in markers.experiment_markers(con, framework, Filters(places=("E06000015",))).experiment_id.tolist()
    )


def test_active_lives_period_of_a_date():
    assert markers.active_lives_period(date(2024, 1, 10))[0] == "2023/24"
    assert markers.active_lives_period(date(2024, 11, 16)) == ("2024/25", 0.0)


def test_marker_sits_inside_its_period_and_a_future_period_is_added_to_the_axis():
    figure = go.Figure(go.Scatter(x=["2022/23", "2023/24", "2024/25"], y=[1, 2, 3]))
    marks = markers_frame([(1, "Spring <b>try</b>", date(2024, 5, 16)), (2, "Later", date(2025, 12, 1))])
    markers.add_experiment_markers(figure, marks)
    assert list(figure.layout.xaxis.categoryarray) == ["2022/23", "2023/24", "2024/25", "2025/26"]
    first = figure.layout.shapes[0]
    assert 0.5 < first.x0 < 1.5  # inside the 2023/24 slot (index 1)
    assert 2.5 < figure.layout.shapes[1].x0 < 3.5
    assert "&lt;b&gt;" in figure.layout.annotations[0].text  # titles are escaped


def test_marker_on_a_date_axis_sits_on_the_start_date():
    figure = go.Figure(go.Scatter(x=["2024-01-01", "2025-01-01"], y=[1, 2]))
    markers.add_experiment_markers(figure, markers_frame([(1, "Try", date(2024, 6, 1))]))
    assert figure.layout.shapes[0].x0 == "2024-06-01"


def markers_frame(rows):
    import pandas as pd

    return pd.DataFrame([{"experiment_id": i, "title": t, "start_date": d} for i, t, d in rows])


def test_experiments_saved_at_the_same_moment_get_their_own_activity_keys(con, framework):
    """Keys are taken one writer at a time (there is no index to refuse a clash), so none is ever shared."""
    from concurrent.futures import ThreadPoolExecutor

    def save(number):
        cursor = con.cursor()
        try:
            return register(cursor, framework, title=f"Walk {number}")
        finally:
            cursor.close()

    with ThreadPoolExecutor(max_workers=6) as pool:
        results = list(pool.map(save, range(12)))
    assert all(r.ok for r in results), [r.problems for r in results]
    keys = con.execute(
        "SELECT activity_key FROM activities WHERE is_experiment AND activity_id IN "
        "(SELECT 'EXP-' || experiment_id FROM experiments WHERE title LIKE 'Walk %')"
    ).fetchall()
    assert len(keys) == len(set(keys)) == 12
    assert con.execute("SELECT count(*) - count(DISTINCT activity_key) FROM activities").fetchall()[0][0] == 0
