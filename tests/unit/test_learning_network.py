"""Network measures: who links to whom, who bridges sectors, which sectors are missing from the room."""

from datetime import date

import pandas as pd
import pytest

from strategy import db
from strategy.access import LOCAL_USER
from strategy.exports import table_bytes
from strategy.filters import Filters
from strategy.learning import exports, involvements, network


def members(rows):
    return pd.DataFrame(rows, columns=["record_kind", "record_id", "record_title", "name", "sector"])


STAR = members(
    [
        ("experiment", 1, "E1", "Hub", "voluntary_community"),
        ("experiment", 1, "E1", "Clinic", "health_care"),
        ("experiment", 2, "E2", "Hub", "voluntary_community"),
        ("experiment", 2, "E2", "School", "young_people_education"),
        ("purpose", 1, "P1", "Hub", "voluntary_community"),
        ("purpose", 1, "P1", "Club", "sport"),
        ("purpose", 1, "P1", "Other charity", "voluntary_community"),
    ]
)


def test_partners_on_the_same_record_are_linked_and_repeat_work_adds_weight():
    graph = network.partner_network(pd.concat([STAR, STAR.iloc[:2].assign(record_id=9)]))
    assert graph.has_edge("Hub", "Clinic") and graph.edges["Hub", "Clinic"]["weight"] == 2
    assert graph.has_edge("Club", "Other charity") and not graph.has_edge("Clinic", "School")


def test_the_hub_bridges_sectors_and_sits_between_everyone():
    measures = network.network_measures(network.partner_network(STAR)).set_index("name")
    assert measures.loc["Hub", "sectors_linked"] == 3  # health, education, sport; its own sector does not count
    assert bool(measures.loc["Hub", "is_bridge"]) and not bool(measures.loc["Clinic", "is_bridge"])
    assert measures.loc["Hub", "betweenness"] > measures.loc["Club", "betweenness"]
    assert measures.index[0] == "Hub"


def test_an_empty_network_has_no_measures_and_says_so(framework):
    measures = network.network_measures(network.partner_network(members([])))
    assert measures.empty
    assert "No one" in network.sectors_in_room_summary(framework, measures)


def test_summary_names_the_sectors_missing_from_the_room(framework):
    summary = network.sectors_in_room_summary(framework, network.network_measures(network.partner_network(STAR)))
    assert "Transport" in summary and "Housing" in summary and "Sport" not in summary.split("Missing")[1]


def test_stakeholders_only_to_influence_do_not_count_as_in_the_room(framework):
    involved = pd.DataFrame({"role": ["involved", "influence"], "sector": ["sport", "transport"]})
    missing = involvements.missing_sectors(framework, involved)
    assert "transport" in missing and "sport" not in missing


def test_layout_is_stable_between_runs():
    graph = network.partner_network(STAR)
    assert network.network_layout(graph) == network.network_layout(graph)


@pytest.fixture
def con(demo_db_copy):
    con = db.connect(demo_db_copy)
    yield con
    con.close()


def test_demo_network_and_the_partner_filter_keeps_that_partners_records(con, framework):
    everyone = network.memberships(con, framework, Filters())
    lead = con.execute(
        "SELECT p.name FROM experiments e JOIN partners p ON p.partner_id = e.lead_partner_id "
        "ORDER BY e.experiment_id LIMIT 1"
    ).fetchall()[0][0]
    narrowed = network.memberships(con, framework, Filters(partners=(lead,)))
    assert 0 < len(narrowed) < len(everyone)
    assert set(narrowed.groupby(["record_kind", "record_id"]).name.apply(lambda n: lead in set(n))) == {True}


def test_exports_are_formula_safe_and_board_sections_have_headlines(con, framework):
    involvements.add_involvement(con, framework, LOCAL_USER, "purpose", 1, "=cmd|calc", "ally", "other")
    tables = exports.learning_tables(con, framework, Filters(), date(2026, 6, 30))
    assert set(tables) == set(exports.EXPORT_NAMES)
    csv = table_bytes(tables["experiments"], "csv").decode("utf-8-sig")
    assert "Free swim and walk pass" in csv
    sections = exports.board_pack_sections(con, framework, Filters(), date(2026, 6, 30))
    assert [s.title for s in sections] == ["Safe-to-fail experiments", "Commitments", "Working across sectors"]
    assert "1 past its date" in sections[1].headline
    network_csv = table_bytes(sections[2].table, "csv").decode("utf-8-sig")
    assert "'=cmd|calc" in network_csv and "\n=cmd" not in network_csv
