"""The learning workspace out of the product: a table per record type (for CSV) and sections for the board pack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import pandas as pd

from strategy.filters import Filters
from strategy.framework import Framework
from strategy.learning import commitments, empathy, experiments, network, purposes
from strategy.learning.records import as_list, codes_text, places_text

EXPORT_NAMES = {
    "purposes": "Shared purposes",
    "empathy_notes": "Empathy map notes",
    "experiments": "Experiments",
    "commitments": "Commitments",
    "reflections": "Learning log",
}


@dataclass(frozen=True)
class BoardSection:
    """One slide's worth: a title, a plain-English headline and a small table."""

    title: str
    headline: str
    table: pd.DataFrame


def readable_table(table: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """Code lists as labels and place codes as names, so a spreadsheet reads without the framework at hand."""
    table = table.copy()
    for column, kind in (("aims", "aim"), ("ways", "way"), ("pinned_aims", "aim")):
        if column in table:
            table[column] = table[column].map(lambda codes, k=kind: codes_text(framework, k, codes))
    for column in ("places", "pinned_places"):
        if column in table:
            table[column] = table[column].map(lambda codes: places_text(framework, codes))
    if "indicators" in table:
        table["indicators"] = table["indicators"].map(lambda ids: ", ".join(as_list(ids)))
    return table


def learning_tables(
    con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters, today: date | None = None
) -> dict[str, pd.DataFrame]:
    """Every learning record type the filters select, one readable table each (keys as EXPORT_NAMES)."""
    notes = []
    for row in empathy.empathy_maps(con, framework, filters).itertuples():
        found = empathy.map_notes(con, row.map_id)
        found.insert(0, "empathy_map", row.subject)
        notes.append(found)
    note_table = pd.concat(notes, ignore_index=True) if notes else empathy.map_notes(con, -1).assign(empathy_map="")
    note_table["quadrant"] = note_table.quadrant.map(lambda q: empathy.QUADRANTS.get(q, (q,))[0])
    tables = {
        "purposes": purposes.purposes(con, framework, filters),
        "empathy_notes": note_table,
        "experiments": experiments.experiments(con, framework, filters).drop(columns=["activity_key"]),
        "commitments": commitments.commitments(con, framework, filters, today),
        "reflections": commitments.reflections(con, framework, filters),
    }
    return {name: readable_table(table, framework) for name, table in tables.items()}


def board_pack_sections(
    con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters, today: date | None = None
) -> list[BoardSection]:
    """Slides for the board pack: experiments and their decisions, commitments past their date, who is in the room."""
    today = today or date.today()
    sections = []
    register = experiments.experiments(con, framework, filters)
    if len(register):
        running = int(register.status.isin(["running", "reviewing"]).sum())
        decided = register[register.decision.notna()]
        counts = ", ".join(f"{n} {d}" for d, n in decided.decision.value_counts().items())
        headline = (
            f"{len(register)} safe-to-fail experiment{'s' if len(register) != 1 else ''}: {running} under way, "
            f"{len(decided)} decided" + (f" ({counts})" if len(decided) else "") + "."
        )
        table = readable_table(register, framework)[
            ["title", "lead_partner", "status", "decision", "start_date", "review_date", "places", "aims"]
        ]
        sections.append(BoardSection("Safe-to-fail experiments", headline, table))
    promises = commitments.commitments(con, framework, filters, today)
    if len(promises):
        late = promises[promises.state == "past its date"]
        still_open = int((promises.state == "open").sum())
        unkept = still_open + len(late)
        headline = (
            f"{unkept} commitment{'s' if unkept != 1 else ''} not yet kept: {still_open} open and not "
            f"past {'its' if still_open == 1 else 'their'} date, {len(late)} past "
            f"{'its' if len(late) == 1 else 'their'} date"
            + (f", the longest by {int(late.days_past.max())} days." if len(late) else ".")
        )
        sections.append(
            BoardSection(
                "Commitments", headline, promises[["commitment", "owner", "due_date", "state"]].reset_index(drop=True)
            )
        )
    members = network.memberships(con, framework, filters)
    if len(members):
        measures = network.network_measures(network.partner_network(members))
        headline = network.sectors_in_room_summary(framework, measures)
        measures["sector"] = measures.sector.map(lambda c: framework.label("sector", c) if c else "Not known")
        sections.append(
            BoardSection(
                "Working across sectors", headline, measures[["name", "sector", "links", "sectors_linked"]].head(10)
            )
        )
    return sections
