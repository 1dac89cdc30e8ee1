"""Empathy maps: what it is like to be on the receiving end of the system, in four quadrants of notes and quotes."""

from __future__ import annotations

import duckdb
import pandas as pd

from strategy import db
from strategy.access import User, require
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.learning.records import (
    SaveResult,
    clean_text,
    code_problems,
    filter_parameters,
    local_place_codes,
    record_exists,
    refused,
)

# The workshop's four questions, in the order a group works through them.
QUADRANTS = {
    "see": ("See", "Their environment: what surrounds them."),
    "hear": ("Hear", "Where their information comes from; who influences them."),
    "think_feel": ("Think and feel", "What matters to them that they might not say publicly."),
    "do_expect": ("Do and expect", "How they work, what decisions they come to, how they support one another."),
}
SUBJECT_KINDS = {"person": "A person (persona)", "place": "A place", "group": "A group or community"}


def save_map(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    actor: User,
    subject: str,
    subject_kind: str,
    description: str = "",
    places: list[str] = (),
    aims: list[str] = (),
    purpose_id: int | None = None,
    map_id: int | None = None,
    is_demo: bool = False,
) -> SaveResult:
    """Create or update an empathy map for a person, place or group the system serves."""
    require(actor, "edit_learning")
    problems = [] if clean_text(subject) else ["Say who the map is about, e.g. 'young carers in Mansfield'."]
    if subject_kind not in SUBJECT_KINDS:
        problems.append(f"Choose what the map is about: {', '.join(SUBJECT_KINDS.values())}.")
    problems += code_problems(framework, aims=aims, places=places)
    if map_id is not None and not record_exists(con, "empathy_map", map_id):
        problems.append(f"There is no empathy map {map_id}; reload the page.")
    if problems:
        return refused(problems)
    local, _ = local_place_codes(framework, places)
    values = [clean_text(subject), subject_kind, clean_text(description), purpose_id, local, list(aims)]
    with db.transaction(con) as cursor:
        if map_id is None:
            map_id = cursor.execute(
                "INSERT INTO empathy_maps (subject, subject_kind, description, purpose_id, places, aims, is_demo, "
                "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING map_id",
                values + [is_demo, actor.email],
            ).fetchall()[0][0]
        else:
            cursor.execute(
                "UPDATE empathy_maps SET subject = ?, subject_kind = ?, description = ?, purpose_id = ?, "
                "places = ?, aims = ? WHERE map_id = ?",
                values + [map_id],
            )
        db.audit(cursor, actor, "empathy map saved", f"map {map_id} '{clean_text(subject)}'")
    return SaveResult(map_id)


def add_note(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    actor: User,
    map_id: int,
    quadrant: str,
    text: str,
    source: str = "",
    is_quote: bool = False,
    pinned_aims: list[str] = (),
    pinned_places: list[str] = (),
) -> SaveResult:
    """Add a note to a quadrant; a resident's quote may be pinned to aims and places so it shows beside the numbers."""
    require(actor, "edit_learning")
    problems = [] if clean_text(text) else ["Write the note (or the resident's words)."]
    if quadrant not in QUADRANTS:
        problems.append(f"Choose a quadrant: {', '.join(label for label, _ in QUADRANTS.values())}.")
    if not record_exists(con, "empathy_map", map_id):
        problems.append(f"There is no empathy map {map_id}; reload the page.")
    if (pinned_aims or pinned_places) and not is_quote:
        problems.append("Only a resident quote can be pinned to aims and places: tick 'resident quote' or unpin it.")
    problems += code_problems(framework, aims=pinned_aims, places=pinned_places)
    if problems:
        return refused(problems)
    local, _ = local_place_codes(framework, pinned_places)
    with db.transaction(con) as cursor:
        note_id = cursor.execute(
            "INSERT INTO empathy_notes (map_id, quadrant, text, source, is_quote, pinned_aims, pinned_places, "
            "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?) RETURNING note_id",
            [
                map_id,
                quadrant,
                clean_text(text),
                clean_text(source),
                bool(is_quote),
                list(pinned_aims),
                local,
                actor.email,
            ],
        ).fetchall()[0][0]
        db.audit(cursor, actor, "empathy note added", f"map {map_id}, {quadrant}, note {note_id}")
    return SaveResult(note_id)


def remove_note(con: duckdb.DuckDBPyConnection, actor: User, note_id: int) -> SaveResult:
    require(actor, "edit_learning")
    found = db.query(con, "learning_empathy_note", note_id=note_id).map_id.tolist()
    if not found:
        return refused([f"There is no note {note_id}; it may already be removed."])
    with db.transaction(con) as cursor:
        cursor.execute("DELETE FROM empathy_notes WHERE note_id = ?", [note_id])
        db.audit(cursor, actor, "empathy note removed", f"map {found[0]}, note {note_id}")
    return SaveResult(note_id)


def empathy_maps(con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters) -> pd.DataFrame:
    """The maps the filters select, with how many notes and quotes each holds."""
    return db.query(con, "learning_empathy_maps", **filter_parameters(framework, filters))


def map_notes(con: duckdb.DuckDBPyConnection, map_id: int) -> pd.DataFrame:
    """Every note of one map, quadrant by quadrant, oldest first."""
    return db.query(con, "learning_empathy_notes", map_id=map_id)


def quotes_for(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    filters: Filters,
    aims: list[str] | None = None,
    places: list[str] | None = None,
) -> pd.DataFrame:
    """Resident quotes pinned to any of the given aims and places (counties stand for their districts).

    None means 'not narrowed' by that dimension beyond the filters. A quote pinned to no place speaks for
    everywhere; one pinned to no aim speaks for every aim.
    """
    parameters = filter_parameters(framework, filters)
    wanted_places = local_place_codes(framework, places or [])[0] if places else []
    return db.query(
        con,
        "learning_quotes",
        filter_places=parameters["places"],
        filter_aims=parameters["aims"],
        want_aims=list(aims or []),
        want_places=wanted_places,
    )
