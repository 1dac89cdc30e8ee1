"""Stakeholders and allies: the people and organisations to involve or influence for a purpose or an experiment."""

from __future__ import annotations

import duckdb
import pandas as pd

from strategy import db
from strategy.access import User, require
from strategy.framework import Framework
from strategy.learning.records import SaveResult, clean_text, code_problems, record_exists, refused
from strategy.names import name_key

RECORD_KINDS = ("purpose", "experiment")
# The workshops' words for who a group needs: doing it with us, on our side, to persuade, missing from the room.
ROLES = {
    "involved": "Involved (doing it with us)",
    "ally": "Ally",
    "influence": "Stakeholder to influence",
    "in_the_room": "Needs to be in the room",
}


def add_involvement(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    actor: User,
    record_kind: str,
    record_id: int,
    name: str,
    role: str,
    sector: str | None = None,
    note: str = "",
) -> SaveResult:
    """Name a person or organisation for a purpose or experiment; a known partner's sector is taken from its record."""
    require(actor, "edit_learning")
    problems = []
    if record_kind not in RECORD_KINDS:
        problems.append(f"record_kind must be one of {', '.join(RECORD_KINDS)}.")
    if not clean_text(name):
        problems.append("Give the person's or organisation's name.")
    if role not in ROLES:
        problems.append(f"Choose a role: {', '.join(ROLES.values())}.")
    problems += code_problems(framework, sectors=[sector] if sector else [])
    if record_kind in ("purpose", "experiment") and not record_exists(con, record_kind, record_id):
        problems.append(f"There is no {record_kind} {record_id}; reload the page.")
    if problems:
        return refused(problems)
    known = db.query(con, "partner_by_name", partner_key=name_key(name)).sector.tolist()
    sector = known[0] if known and known[0] else sector
    with db.transaction(con) as cursor:
        involvement_id = cursor.execute(
            "INSERT INTO involvements (record_kind, record_id, name, sector, role, note, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING involvement_id",
            [record_kind, record_id, clean_text(name), sector, role, clean_text(note), actor.email],
        ).fetchall()[0][0]
        db.audit(cursor, actor, "involvement added", f"{record_kind} {record_id}: {clean_text(name)} as {role}")
    return SaveResult(involvement_id)


def remove_involvement(con: duckdb.DuckDBPyConnection, actor: User, involvement_id: int) -> SaveResult:
    """Take a name off a purpose or experiment."""
    require(actor, "edit_learning")
    found = list(db.query(con, "learning_involvement", involvement_id=involvement_id).itertuples(index=False))
    if not found:
        return refused([f"There is no involvement {involvement_id}; it may already be removed."])
    with db.transaction(con) as cursor:
        cursor.execute("DELETE FROM involvements WHERE involvement_id = ?", [involvement_id])
        db.audit(cursor, actor, "involvement removed", f"{found[0][0]} {found[0][1]}: {found[0][2]}")
    return SaveResult(involvement_id)


def involvements_for(
    con: duckdb.DuckDBPyConnection, framework: Framework, record_kind: str, record_id: int
) -> pd.DataFrame:
    """Everyone named for one purpose or experiment (an experiment's lead partner first), with role and sector
    labels."""
    table = db.query(con, "learning_involvements", record_kind=record_kind, record_id=record_id)
    table["role_label"] = table.role.map(ROLES)
    table["sector_label"] = table.sector.map(lambda c: framework.label("sector", c) if c else "Not known")
    return table


def missing_sectors(framework: Framework, involved: pd.DataFrame) -> list[str]:
    """Framework sectors (codes) that no one involved, allied or wanted in the room comes from.

    Stakeholders only to be influenced do not count as being in the room.
    """
    present = set(involved.loc[involved.role != "influence", "sector"].dropna())
    return [s.code for s in framework.sectors if s.code not in present and s.code != "other"]
