"""Undo one upload: remove the activities it added and make the versions it replaced current again.

Refused when a later upload has since replaced some of its activities (roll that one back first), so history
is always unwound in order and the activities return exactly to their state before the upload.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import duckdb
import pandas as pd

from strategy import db
from strategy.access import User, require
from strategy.ingest.load import (
    BUSY_MESSAGE,
    BUSY_WAIT_SECONDS,
    WRITE_FAILURES,
    WRITE_LOCK,
    could_not_write,
    refused_for_lack_of_room,
)
from strategy.names import name_key
from strategy.safekeeping.backup import BackupFailed, automatic_backup


@dataclass(frozen=True)
class RollbackReport:
    ok: bool
    upload_id: int
    message: str
    removed: int = 0
    restored: int = 0

    def as_json(self) -> dict:
        return {
            "status": "rolled back" if self.ok else "refused",
            "upload_id": self.upload_id,
            "message": self.message,
            "removed": self.removed,
            "restored": self.restored,
        }


def upload_history(con: duckdb.DuckDBPyConnection, partner: str | None = None) -> pd.DataFrame:
    """Uploads, newest first: who, when, file, rows and status (one partner's, or everyone's)."""
    return db.query(con, "upload_history", partner_key=None if partner is None else name_key(partner))


def rollback_upload(con: duckdb.DuckDBPyConnection, upload_id: int, actor: User) -> RollbackReport:
    """Roll one activity upload back in one transaction, or say why not."""
    cursor = con.cursor()
    try:
        found = cursor.execute(
            "SELECT kind, status, partner_id, report FROM uploads WHERE upload_id = $id", {"id": upload_id}
        ).fetchall()
        if not found:
            return RollbackReport(False, upload_id, f"There is no upload {upload_id}. See the list of uploads.")
        kind, status, partner_id, report_text = found[0]
        owner = db.query(con, "upload_partner", upload_id=upload_id)
        # a partner rolls back only their own organisation's uploads (PermissionDenied otherwise)
        require(actor, "rollback_activities", partner=owner.partner[0] if len(owner) and owner.partner[0] else None)
        if kind != "activities":
            return RollbackReport(
                False,
                upload_id,
                f"Upload {upload_id} is {kind} data, not a partner's activity file; it cannot be rolled back here.",
            )
        if status != "loaded":
            return RollbackReport(False, upload_id, f"Upload {upload_id} is already {status}.")
        later = [
            row[0]
            for row in cursor.execute(
                "SELECT DISTINCT replaced_by_upload FROM activities "
                "WHERE upload_id = $id AND replaced_by_upload IS NOT NULL ORDER BY 1",
                {"id": upload_id},
            ).fetchall()
        ]
        if later:
            names = ", ".join(str(u) for u in later)
            return RollbackReport(
                False,
                upload_id,
                f"Upload {upload_id} cannot be rolled back yet: later upload(s) "
                f"{names} replaced some of its activities. Roll back {names} first.",
            )
        if not WRITE_LOCK.acquire(timeout=BUSY_WAIT_SECONDS):
            return RollbackReport(False, upload_id, BUSY_MESSAGE)
        try:
            automatic_backup(cursor, f"before roll back of upload {upload_id}")
            with db.transaction(cursor) as writer:
                removed, restored = _undo(writer, upload_id, partner_id, json.loads(report_text or "{}"), actor)
        except BackupFailed as failed:
            return RollbackReport(
                False,
                upload_id,
                f"Nothing was rolled back: every roll back is preceded by an automatic backup, and it failed. {failed}",
            )
        except (duckdb.TransactionException, duckdb.ConstraintException) as refused:
            return RollbackReport(
                False, upload_id, could_not_write(refused) if refused_for_lack_of_room(refused) else BUSY_MESSAGE
            )
        except WRITE_FAILURES as failed:
            return RollbackReport(False, upload_id, could_not_write(failed))
        finally:
            WRITE_LOCK.release()
        return RollbackReport(
            True,
            upload_id,
            f"Upload {upload_id} was rolled back: {removed:,} activities removed"
            + (f", {restored:,} earlier versions made current again." if restored else "."),
            removed,
            restored,
        )
    finally:
        cursor.close()


def _undo(
    cursor: duckdb.DuckDBPyConnection, upload_id: int, partner_id: int, report: dict, actor: User
) -> tuple[int, int]:
    params = {"id": upload_id}
    for table in ("activity_aims", "activity_ways", "activity_themes", "activity_places"):  # fixed names
        cursor.execute(
            f"DELETE FROM {table} WHERE activity_key IN (SELECT activity_key FROM activities WHERE upload_id = $id)",
            params,
        )
    removed = cursor.execute("DELETE FROM activities WHERE upload_id = $id", params).fetchall()[0][0]
    restored = cursor.execute(
        "UPDATE activities SET replaced_by_upload = NULL WHERE replaced_by_upload = $id", params
    ).fetchall()[0][0]
    cursor.execute(
        "UPDATE partners SET sector = $sector WHERE partner_id = $partner",
        {"sector": report.get("partner_sector_before"), "partner": partner_id},
    )
    cursor.execute("UPDATE uploads SET status = 'rolled back' WHERE upload_id = $id", params)
    db.audit(
        cursor,
        actor,
        "roll back upload",
        f"upload {upload_id}: {removed} activities removed, {restored} earlier versions restored",
        upload_id,
    )
    return removed, restored
