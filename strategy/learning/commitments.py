"""The learning log: reflections (what resonated, what I learned) and commitments (one practical thing, by when)."""

from __future__ import annotations

from datetime import date

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
    refused,
)

KINDS = {"individual": "Individual", "group": "Group"}
# Section headings from the partnership's workshop series; a reflection files under one.
HEADINGS = {
    "purpose": "Shared purpose",
    "empathy": "Empathy and insight",
    "practical": "Getting practical",
    "landscape": "Understanding the landscape",
    "influence": "Influence and narrative",
    "keeping_going": "Keeping change going through uncertainty",
    "experiment": "Experiment review",
}
# The workshops' prompts for each heading, as the partnership asks them: shown where a reflection is written.
PROMPTS = {
    "purpose": ("What do we want to do?", "Why?", "What will the benefits be?"),
    "empathy": ("What is it like to be on the receiving end of us, as a system?",),
    "practical": (
        "Which safe-to-fail experiments could we try?",
        "Who are our allies?",
        "Which stakeholders do we need to influence?",
        "Who else needs to be in the room?",
        "Which indicators would help?",
        "Which meetings aren't helpful?",
        "Who can we learn from?",
    ),
    "experiment": ("What happened, against what we expected?", "Amplify, adapt or stop?"),
}


def save_reflection(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    actor: User,
    author: str,
    kind: str,
    heading: str,
    reflected_on: date | None,
    resonated: str = "",
    learned: str = "",
    commitment: str = "",
    owner: str = "",
    due_date: date | None = None,
    aims: list[str] = (),
    places: list[str] = (),
    purpose_id: int | None = None,
    experiment_id: int | None = None,
    is_demo: bool = False,
) -> SaveResult:
    """Add a reflection to the learning log; a commitment needs an owner and a date to be kept to."""
    require(actor, "edit_learning")
    problems = [] if clean_text(author) else ["Say whose reflection this is (a name, or the group's name)."]
    if kind not in KINDS:
        problems.append("Choose individual or group.")
    if heading not in HEADINGS:
        problems.append(f"Choose a heading: {', '.join(HEADINGS.values())}.")
    if reflected_on is None:
        problems.append("Give the date of the reflection.")
    if not any(clean_text(t) for t in (resonated, learned, commitment)):
        problems.append("Write at least one of: what resonated, what you learned, the one thing you will do.")
    if clean_text(commitment):
        if not clean_text(owner):
            problems.append("Say who owns the commitment.")
        if due_date is None:
            problems.append("Give the commitment a date ('by when').")
    elif due_date is not None:
        problems.append("A date was given but no commitment: write the one practical thing, or clear the date.")
    if due_date and reflected_on and due_date < reflected_on:
        problems.append(f"The commitment's date {due_date:%d/%m/%Y} is before the reflection {reflected_on:%d/%m/%Y}.")
    problems += code_problems(framework, aims=aims, places=places)
    if problems:
        return refused(problems)
    local, _ = local_place_codes(framework, places)
    with db.transaction(con) as cursor:
        reflection_id = cursor.execute(
            "INSERT INTO reflections (kind, author, heading, purpose_id, experiment_id, aims, places, resonated, "
            "learned, commitment, owner, due_date, reflected_on, is_demo, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING reflection_id",
            [
                kind,
                clean_text(author),
                heading,
                purpose_id,
                experiment_id,
                list(aims),
                local,
                clean_text(resonated),
                clean_text(learned),
                clean_text(commitment) or None,
                clean_text(owner) or None,
                due_date,
                reflected_on,
                is_demo,
                actor.email,
            ],
        ).fetchall()[0][0]
        db.audit(cursor, actor, "reflection added", f"reflection {reflection_id} by {clean_text(author)}")
    return SaveResult(reflection_id)


def mark_commitment_done(
    con: duckdb.DuckDBPyConnection, actor: User, reflection_id: int, done_on: date, done: bool = True
) -> SaveResult:
    """Record a commitment as kept on a date (or reopen it)."""
    require(actor, "edit_learning")
    found = db.query(con, "learning_reflection_commitment", reflection_id=reflection_id).commitment.tolist()
    if not found or not found[0]:
        return refused([f"Reflection {reflection_id} holds no commitment; reload the page."])
    with db.transaction(con) as cursor:
        cursor.execute(
            "UPDATE reflections SET done_on = ? WHERE reflection_id = ?", [done_on if done else None, reflection_id]
        )
        db.audit(cursor, actor, "commitment kept" if done else "commitment reopened", f"reflection {reflection_id}")
    return SaveResult(reflection_id)


def reflections(con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters) -> pd.DataFrame:
    """The learning log the filters select, newest first."""
    return db.query(con, "learning_reflections", **filter_parameters(framework, filters))


def commitments(
    con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters, today: date | None = None
) -> pd.DataFrame:
    """Every commitment the filters select with its state: 'past its date', 'open' or 'kept'; most urgent first."""
    return db.query(con, "learning_commitments", today=today or date.today(), **filter_parameters(framework, filters))


def learning_timeline(con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters) -> pd.DataFrame:
    """Per aim, in date order: reflections, purpose versions and experiment starts and decisions (what was learned)."""
    timeline = db.query(con, "learning_timeline", **filter_parameters(framework, filters))
    timeline["aim_label"] = timeline.aim.map(
        lambda c: framework.label("aim", c) if c in {a.code for a in framework.aims} else "All aims"
    )
    return timeline
