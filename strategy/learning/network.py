"""Who works with whom: partners linked by working together on the same purposes and experiments.

Definition (docs/learning-workspace.md): two organisations are linked when both are named as involved or as
allies (or one leads) on the same shared purpose or safe-to-fail experiment; the link's weight is how many
records they share. Sharing a place and aim in the activity returns is not counted: with dozens of partners
in 17 places nearly everyone would be linked, and being busy in the same place is not working together.
A partner *bridges* sectors when it is linked to organisations from at least BRIDGE_MIN_SECTORS sectors
other than its own.
"""

from __future__ import annotations

from itertools import combinations

import duckdb
import networkx as nx
import pandas as pd

from strategy import db
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.learning.records import filter_parameters

BRIDGE_MIN_SECTORS = 3
LINKING_ROLES = ("involved", "ally")
LAYOUT_SEED = 7


def memberships(con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters) -> pd.DataFrame:
    """(record_kind, record_id, record_title, name, sector) for everyone working on a purpose or experiment shown."""
    return db.query(con, "learning_memberships", roles=list(LINKING_ROLES), **filter_parameters(framework, filters))


def partner_network(members: pd.DataFrame) -> nx.Graph:
    """A graph of organisations; an edge for every pair on the same record, weighted by records shared."""
    graph = nx.Graph()
    for row in members.drop_duplicates("name").itertuples():
        graph.add_node(row.name, sector=row.sector if isinstance(row.sector, str) else None)
    for _, group in members.groupby(["record_kind", "record_id"]):
        names = sorted(set(group.name))
        for a, b in combinations(names, 2):
            weight = graph.edges[a, b]["weight"] + 1 if graph.has_edge(a, b) else 1
            graph.add_edge(a, b, weight=weight)
    return graph


def network_measures(graph: nx.Graph) -> pd.DataFrame:
    """Per organisation: sector, links, betweenness, other sectors it links to, and whether it bridges sectors."""
    betweenness = nx.betweenness_centrality(graph) if graph.number_of_nodes() > 2 else {n: 0.0 for n in graph}
    rows = []
    for name, data in graph.nodes(data=True):
        own = data.get("sector")
        linked = {graph.nodes[n].get("sector") for n in graph.neighbors(name)} - {own, None}
        rows.append(
            {
                "name": name,
                "sector": own,
                "links": graph.degree(name),
                "betweenness": round(betweenness.get(name, 0.0), 3),
                "sectors_linked": len(linked),
                "linked_sectors": sorted(linked),
            }
        )
    table = pd.DataFrame(rows, columns=["name", "sector", "links", "betweenness", "sectors_linked", "linked_sectors"])
    table["is_bridge"] = table.sectors_linked >= BRIDGE_MIN_SECTORS
    return table.sort_values(["sectors_linked", "betweenness", "name"], ascending=[False, False, True]).reset_index(
        drop=True
    )


def network_layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """Stable positions for drawing (a seeded spring layout, so the picture does not jump between reruns)."""
    if graph.number_of_nodes() == 0:
        return {}
    spacing = 1.6 / max(1, graph.number_of_nodes()) ** 0.5
    positions = nx.spring_layout(graph, seed=LAYOUT_SEED, weight="weight", k=spacing)
    return {name: (float(x), float(y)) for name, (x, y) in positions.items()}


def sectors_in_room_summary(framework: Framework, measures: pd.DataFrame) -> str:
    """One sentence: how many organisations, how many bridge sectors, and which sectors no one comes from."""
    if measures.empty:
        return "No one is named as involved or as an ally on the purposes and experiments shown yet."
    present = set(measures.sector.dropna())
    missing = [s.label for s in framework.sectors if s.code not in present and s.code != "other"]
    bridges = measures[measures.is_bridge]
    sentence = (
        f"{len(measures)} organisations work together on the purposes and experiments shown; "
        f"{len(bridges)} bridge{'s' if len(bridges) == 1 else ''} "
        f"{BRIDGE_MIN_SECTORS} or more other sectors"
    )
    if len(bridges):
        sentence += f" (most: {bridges.name.iloc[0]}, {bridges.sectors_linked.iloc[0]} sectors)"
    if missing:
        return sentence + f". Missing from the room: {', '.join(missing)}."
    return sentence + ". Every sector is in the room."
