"""Opening a reporting round, listing rounds, each partner's status in one, and the reminder a leader copies.

A partner has **returned** when they made an activity upload after the round opened that is still loaded (a rolled
back upload is not a return); with none, they are **late** once today (strategy.periods.today()) is after the
deadline, else **not started**. Analysts and admins see every partner; a partner sees only their own organisation;
viewers see none.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

import duckdb
import pandas as pd

from strategy import db, periods
from strategy.access import User, require
from strategy.framework import load_framework
from strategy.names import name_key

RETURNED, LATE, NOT_STARTED = "returned", "late", "not started"
OPEN_ROUND, REMINDER = "open reporting round", "round reminder sent"
UPLOAD_PAGE = "Upload"  # the upload page's address under the dashboard's base URL


class RoundProblem(ValueError):
    """A round cannot be opened or found as asked; the message says what to change."""


@dataclass(frozen=True)
class Round:
    round_id: int
    name: str
    deadline: date
    opened_at: object
    opened_by: str | None


def open_round(
    con: duckdb.DuckDBPyConnection,
    actor: User,
    name: str,
    deadline: date | str,
    partners: list[str] | None = None,
    all_partners: bool = False,
) -> Round:
    """Open a round expecting returns from the named partners (or every partner with all_partners); the round.
    RoundProblem for a blank or taken name, a deadline that is not a date, or a partner that does not exist."""
    require(actor, "manage_rounds")
    name = (name or "").strip()
    if not name:
        raise RoundProblem("Give the round a name, such as '2026/27 Q2'.")
    if isinstance(deadline, str):
        try:
            deadline = date.fromisoformat(deadline.strip())
        except ValueError:
            raise RoundProblem(f"The deadline {deadline!r} is not a date; write it as YYYY-MM-DD.") from None
    if not isinstance(deadline, date):
        raise RoundProblem("Give the round a deadline (a date).")
    if bool(partners) == bool(all_partners):
        raise RoundProblem("Say which partners are expected to return: name them, or choose all partners.")
    known = db.query(con, "partner_names")
    if all_partners:
        chosen = known.name.tolist()
        if not chosen:
            raise RoundProblem("There are no partners yet; add partners before opening a round.")
    else:
        by_key = {n.strip().casefold(): n for n in known.name}
        unknown = [p for p in partners if p.strip().casefold() not in by_key]
        if unknown:
            raise RoundProblem(
                "Not a partner: " + ", ".join(repr(p) for p in unknown) + ". Use the names shown by "
                "'python -m strategy partners list' (or add the partner first)."
            )
        chosen = list(dict.fromkeys(by_key[p.strip().casefold()] for p in partners))
    if not db.query(con, "round_by_name", round_name=name).empty:
        raise RoundProblem(f"A round called {name!r} is already open; choose another name.")
    ids = [int(db.query(con, "partner_by_name", partner_key=name_key(p)).partner_id.iloc[0]) for p in chosen]
    with db.transaction(con) as cursor:
        round_id, opened_at = db.execute(
            cursor, "round_open", round_name=name, deadline=deadline, opened_by=actor.email
        )[0]
        db.execute(cursor, "round_expect_partners", round_id=round_id, partner_ids=ids)
        db.audit(
            cursor,
            actor,
            OPEN_ROUND,
            f"{name}: deadline {deadline.isoformat()}, {len(ids)} partner{'s' if len(ids) != 1 else ''} expected",
        )
    return Round(round_id, name, deadline, opened_at, actor.email)


def list_rounds(con: duckdb.DuckDBPyConnection, actor: User) -> pd.DataFrame:
    """Every round, newest first, with partners expected and returned (analysts and admins)."""
    require(actor, "manage_rounds")
    return db.query(con, "round_list")


def find_round(con: duckdb.DuckDBPyConnection, name: str | None = None) -> Round | None:
    """The round of that name (RoundProblem if there is none), or with no name the newest round (None if none)."""
    if name:
        found = db.query(con, "round_by_name", round_name=name)
        if found.empty:
            raise RoundProblem(f"There is no round called {name!r}; 'python -m strategy rounds list' shows them.")
    else:
        found = db.query(con, "round_list")
        if found.empty:
            return None
        found = db.query(con, "round_by_name", round_name=found.name.iloc[0])
    row = found.iloc[0]
    return Round(int(row.round_id), row["name"], pd.Timestamp(row.deadline).date(), row.opened_at, row.opened_by)


def round_status(
    con: duckdb.DuckDBPyConnection, actor: User, name: str | None = None, partner: str | None = None
) -> tuple[Round | None, pd.DataFrame]:
    """(the round, one row per expected partner: status returned / late / not started, when and by whom returned).
    With no name, the newest round. A partner sees only their own row (PermissionDenied for another's); viewers
    none. today is strategy.periods.today()."""
    if actor.role == "partner":
        require(actor, "see_round_status", partner or actor.partner)
        partner = actor.partner
    else:
        require(actor, "see_round_status")
    found = find_round(con, name)
    if found is None:
        return None, pd.DataFrame(
            columns=["partner", "status", "returned_at", "returned_by", "upload_id", "uploads", "current_activities"]
        )
    table = db.query(
        con,
        "round_status",
        round_id=found.round_id,
        today=periods.today(),
        partner_key=name_key(partner) if partner else None,
    )
    return found, table


def upload_link(base_url: str, partner: str) -> str:
    """The partner's Upload page under the dashboard's address, with their organisation chosen."""
    return f"{base_url.rstrip('/')}/{UPLOAD_PAGE}?partner={quote(partner)}"


def reminder_text(found: Round, partner: str, status: str, base_url: str, today: date | None = None) -> str:
    """A ready email to a partner about their return: the round, the deadline (and whether it has passed), the link
    to their Upload page and what to do there. Plain text; no mail server is involved."""
    today = today or periods.today()
    deadline = f"{found.deadline:%A} {found.deadline.day} {found.deadline:%B %Y}"
    if status == RETURNED:
        opening = f"Thank you: we have your return for the {found.name} reporting round."
        ask = "If anything has changed since, you can upload an updated return from the same page."
    elif today > found.deadline:
        opening = (
            f"Your return for the {found.name} reporting round was due on {deadline} and we have not received it yet."
        )
        ask = "Please send it as soon as you can."
    else:
        days = (found.deadline - today).days
        opening = (
            f"A reminder that your return for the {found.name} reporting round is due on {deadline} "
            f"({'today' if days == 0 else f'in {days} day' + ('s' if days != 1 else '')})."
        )
        ask = "It takes a few minutes."
    strategy = load_framework().name
    return (
        f"Subject: {strategy} activity return for {found.name} - {partner}\n\n"
        f"Hello,\n\n{opening}\n\n"
        f"Your return is already filled in with the activities you told us about before. To update it:\n"
        f"1. Open your Upload page: {upload_link(base_url, partner)}\n"
        f'2. Download "Your return" (Excel), with your current activities in it.\n'
        f"3. Update the dates, numbers and status, add a row for each new activity, and give an end date to "
        f"any that have finished. A row you delete is kept as it was, not removed.\n"
        f"4. Upload the file on the same page, check the summary of what changes, and load it.\n\n"
        f"{ask}\n\nThank you,\nThe {strategy} partnership\n"
    )


def record_reminder(con: duckdb.DuckDBPyConnection, actor: User, found: Round, partner: str) -> None:
    """Log that a reminder to a partner was sent (analysts and admins)."""
    require(actor, "manage_rounds")
    with db.transaction(con) as cursor:
        db.audit(cursor, actor, REMINDER, f"{found.name}: reminder for {partner}")
