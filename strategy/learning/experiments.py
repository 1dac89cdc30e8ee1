"""Safe-to-fail experiments: the register, and the linked activity that puts each one in every alignment view.

Saving an experiment writes a new version of its activity (activity_id 'EXP-<id>', is_experiment true, partner =
the lead partner, sector from that partner, aims/ways/places from the experiment) under its own uploads row of
kind 'experiment', so every view that starts from filtered_activities counts it and it can be traced.
"""

from __future__ import annotations

import json
from datetime import date

import duckdb
import pandas as pd

from strategy import db
from strategy.access import User, require
from strategy.activities import derive_for_upload
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
from strategy.names import name_key

STATUSES = {"planned": "Planned", "running": "Running", "reviewing": "Reviewing", "closed": "Closed"}
DECISIONS = {"amplify": "Amplify", "adapt": "Adapt", "stop": "Stop"}
# How an experiment's status reads as an activity status (the status column's list, docs/upload.md).
ACTIVITY_STATUS = {"planned": "planned", "running": "active", "reviewing": "active", "closed": "completed"}


def activity_reference(experiment_id: int) -> str:
    """The activity_id an experiment's linked activity carries."""
    return f"EXP-{experiment_id}"


def save_experiment(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    actor: User,
    title: str,
    hypothesis: str,
    lead_partner: str,
    start_date: date | None,
    aims: list[str],
    places: list[str],
    ways: list[str] = (),
    purpose_id: int | None = None,
    review_date: date | None = None,
    indicators: list[str] = (),
    working_signals: str = "",
    failing_signals: str = "",
    status: str = "planned",
    decision: str | None = None,
    learned: str = "",
    experiment_id: int | None = None,
    is_demo: bool = False,
) -> SaveResult:
    """Register or update an experiment and its linked activity, all or nothing."""
    require(actor, "edit_learning")
    problems = _problems(
        con,
        framework,
        title,
        hypothesis,
        lead_partner,
        start_date,
        aims,
        places,
        ways,
        purpose_id,
        review_date,
        indicators,
        status,
        decision,
        experiment_id,
    )
    if problems:
        return refused(problems)
    partner = db.query(con, "partner_by_name", partner_key=name_key(lead_partner)).iloc[0]
    partner_id, sector = int(partner.partner_id), partner.sector if isinstance(partner.sector, str) else "other"
    local, _ = local_place_codes(framework, places)
    fields = [
        clean_text(title),
        clean_text(hypothesis),
        purpose_id,
        list(aims),
        list(ways),
        local,
        partner_id,
        start_date,
        review_date,
        list(indicators),
        clean_text(working_signals),
        clean_text(failing_signals),
        status,
        decision or None,
        clean_text(learned),
    ]
    if not db.WRITE_LOCK.acquire(timeout=db.BUSY_WAIT_SECONDS):  # activity keys are taken one writer at a time
        return refused(["Another change is being saved at this moment, so this one was not. Try again in a minute."])
    try:
        with db.transaction(con) as cursor:
            if experiment_id is None:
                experiment_id = cursor.execute(
                    "INSERT INTO experiments (title, hypothesis, purpose_id, aims, ways, places, lead_partner_id, "
                    "start_date, review_date, indicators, working_signals, failing_signals, status, decision, learned, "
                    "is_demo, created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "RETURNING experiment_id",
                    fields + [is_demo, actor.email],
                ).fetchall()[0][0]
            else:
                cursor.execute(
                    "UPDATE experiments SET title = ?, hypothesis = ?, purpose_id = ?, aims = ?, ways = ?, places = ?, "
                    "lead_partner_id = ?, start_date = ?, review_date = ?, indicators = ?, working_signals = ?, "
                    "failing_signals = ?, status = ?, decision = ?, learned = ?, updated_at = current_timestamp "
                    "WHERE experiment_id = ?",
                    fields + [experiment_id],
                )
            upload_id = _write_linked_activity(cursor, actor, experiment_id, partner_id, sector, fields, local)
            db.audit(
                cursor,
                actor,
                "experiment saved",
                f"experiment {experiment_id} '{clean_text(title)}', status {status}"
                + (f", decision {decision}" if decision else ""),
                upload_id,
            )
    finally:
        db.WRITE_LOCK.release()
    return SaveResult(experiment_id)


def _problems(
    con,
    framework,
    title,
    hypothesis,
    lead_partner,
    start_date,
    aims,
    places,
    ways,
    purpose_id,
    review_date,
    indicators,
    status,
    decision,
    experiment_id,
) -> list[str]:
    problems = []
    if not clean_text(title):
        problems.append("Give the experiment a short title.")
    if not clean_text(hypothesis):
        problems.append("Write the hypothesis: 'If we ..., then ..., because ...'.")
    if db.query(con, "partner_by_name", partner_key=name_key(lead_partner)).empty:
        problems.append(
            f"Lead partner '{clean_text(lead_partner)}' is not a registered partner: choose one from the "
            "list (a partner is registered by its first activity upload)."
        )
    if start_date is None:
        problems.append("Give a start date.")
    if start_date and review_date and review_date < start_date:
        problems.append(f"The review date {review_date:%d/%m/%Y} is before the start {start_date:%d/%m/%Y}.")
    if not aims:
        problems.append("Choose at least one aim the experiment serves.")
    if not places:
        problems.append("Choose at least one place (a county stands for all its districts).")
    problems += code_problems(framework, aims=aims, ways=ways, places=places)
    if status not in STATUSES:
        problems.append(f"Status must be one of {', '.join(STATUSES.values())}.")
    if decision and decision not in DECISIONS:
        problems.append(f"Decision must be one of {', '.join(DECISIONS.values())}.")
    if status == "closed" and not decision:
        problems.append("A closed experiment needs its decision: amplify, adapt or stop.")
    known = set(db.query(con, "learning_indicator_choices").indicator_id)
    unknown = [i for i in indicators if i not in known]
    if unknown:
        problems.append(f"Unknown indicator(s) {', '.join(unknown)}: choose from the indicator list.")
    if purpose_id is not None and not record_exists(con, "purpose", purpose_id):
        problems.append(f"There is no shared purpose {purpose_id}; choose another.")
    if experiment_id is not None and not record_exists(con, "experiment", experiment_id):
        problems.append(f"There is no experiment {experiment_id}; reload the page.")
    return problems


def _write_linked_activity(con, actor, experiment_id, partner_id, sector, fields, local) -> int:
    """A new version of the experiment's activity under its own upload; the previous version is marked replaced."""
    title, hypothesis, _, aims, ways, _, _, start, review, _, _, _, status, _, _ = fields
    reference = activity_reference(experiment_id)
    upload_id = con.execute(
        "INSERT INTO uploads (kind, partner_id, uploaded_by, file_name, rows_read, rows_loaded, rows_rejected, "
        "status, report) VALUES ('experiment', ?, ?, ?, 1, 1, 0, 'loaded', ?) RETURNING upload_id",
        [
            partner_id,
            actor.email,
            f"experiment {experiment_id}: {title}",
            json.dumps({"experiment_id": experiment_id, "activity_id": reference}),
        ],
    ).fetchall()[0][0]
    previous = con.execute(
        "SELECT activity_key, version FROM activities WHERE activity_id = ? AND is_experiment "
        "AND replaced_by_upload IS NULL",
        [reference],
    ).fetchall()
    con.execute(
        "UPDATE activities SET replaced_by_upload = ? WHERE activity_id = ? AND is_experiment "
        "AND replaced_by_upload IS NULL",
        [upload_id, reference],
    )
    key = con.execute("SELECT coalesce(max(activity_key), 0) + 1 FROM activities").fetchall()[0][0]
    con.execute(
        "INSERT INTO activities (activity_key, partner_id, activity_id, version, upload_id, title, description, "
        "sector, start_date, end_date, status, is_experiment) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, true)",
        [
            key,
            partner_id,
            reference,
            (previous[0][1] + 1) if previous else 1,
            upload_id,
            f"Experiment: {title}",
            hypothesis,
            sector,
            start,
            review if status == "closed" else None,
            ACTIVITY_STATUS[status],
        ],
    )
    con.executemany("INSERT INTO activity_aims VALUES (?, ?)", [[key, a] for a in aims])
    if ways:
        con.executemany("INSERT INTO activity_ways VALUES (?, ?)", [[key, w] for w in ways])
    con.executemany("INSERT INTO activity_places (activity_key, place_code) VALUES (?, ?)", [[key, p] for p in local])
    derive_for_upload(con, upload_id)
    return upload_id


def experiments(con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters) -> pd.DataFrame:
    """The experiments the filters select (newest start first), with lead partner, purpose and linked activity."""
    return db.query(con, "learning_experiments", **filter_parameters(framework, filters))


def experiment(con: duckdb.DuckDBPyConnection, experiment_id: int) -> pd.Series | None:
    """One experiment's full record, or None."""
    found = db.query(con, "learning_experiment", experiment_id=experiment_id)
    return found.iloc[0] if len(found) else None
