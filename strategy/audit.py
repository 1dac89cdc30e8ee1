"""The audit log: who did what, when, from which upload. Written by every change; read and exported by admins."""

from __future__ import annotations

import os
from pathlib import Path

import duckdb
import pandas as pd

from strategy import db, exports
from strategy.access import User, normalised_email, require

SIGN_IN = "sign in"
SIGN_IN_REFUSED = "sign in refused"
REFUSED = "refused"


def record_sign_in(con: duckdb.DuckDBPyConnection, user: User, issued_at: object = None) -> bool:
    """Log a sign-in once per identity token (issued_at, from the provider), not once per page load; whether a
    row was written."""
    detail = (
        f"{user.role}"
        + (f" for {user.partner}" if user.partner else "")
        + (f"; identity token issued {issued_at}" if issued_at else "")
    )
    if issued_at and int(db.execute(con, "sign_in_recorded", actor=user.email, detail=detail)[0][0]):
        return False
    db.audit(con, user, SIGN_IN, detail)
    return True


def log_sign_in(con: duckdb.DuckDBPyConnection, user: User, issued_at: object = None) -> bool:
    """record_sign_in in a transaction of its own (what the sign-in page writes); whether a row was written."""
    with db.transaction(con) as cursor:
        return record_sign_in(cursor, user, issued_at)


def record_refused_sign_in(
    con: duckdb.DuckDBPyConnection, email: str, reason: str = "not an active user of this dashboard"
) -> None:
    """A sign-in that was refused (unknown or inactive user, unverified email, another provider account), and why."""
    db.audit(con, normalised_email(email) or "(no email)", SIGN_IN_REFUSED, reason)


def record_refusal(con: duckdb.DuckDBPyConnection, actor: object, action: str, detail: str = "") -> None:
    """An action refused by role (a page opened by its address, a command, a form): who, which action, why. Written
    in its own transaction; a refusal that cannot be logged (the database is read-only) is still refused."""
    try:
        with db.transaction(con) as cursor:
            db.audit(cursor, actor, REFUSED, f"{action}: {detail}" if detail else action)
    except duckdb.Error:
        pass


def audit_entries(
    con: duckdb.DuckDBPyConnection, actor: User, action: str | None = None, who: str | None = None, limit: int = 10_000
) -> pd.DataFrame:
    """The newest entries first, optionally of one action or one person (admins only)."""
    require(actor, "view_audit_log")
    return db.query(
        con, "audit_log_entries", action=action or None, actor=normalised_email(who) or None, limit=int(limit)
    )  # actors are recorded by their email key (strategy/names.py)


def audit_export(
    con: duckdb.DuckDBPyConnection,
    actor: User,
    file_format: str = "csv",
    action: str | None = None,
    who: str | None = None,
) -> bytes:
    """The audit log as formula-safe CSV or XLSX bytes; the export itself is logged."""
    entries = audit_entries(con, actor, action, who, limit=1_000_000)
    entries["logged_at"] = entries.logged_at.dt.strftime("%Y-%m-%d %H:%M:%S")  # the time matters, not only the day
    data = exports.table_bytes(entries, file_format, title="Audit log", about="The dashboard's audit log.")
    with db.transaction(con) as cursor:
        db.audit(cursor, actor, "export audit log", f"{len(entries)} entries as {file_format}")
    return data


def write_audit_export(con: duckdb.DuckDBPyConnection, actor: User, target: str | os.PathLike) -> Path:
    target = Path(target)
    data = audit_export(con, actor, target.suffix.lower().lstrip("."))
    return exports.write_atomically(target, data)
