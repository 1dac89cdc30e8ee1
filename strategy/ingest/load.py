"""One transaction that writes a validated file: the upload record (naming the original file, kept just
before by strategy/safekeeping/originals.py), the partner, new versions of re-uploaded activities, the activities
and their links, place shares and the audit entry.

An automatic backup (strategy/safekeeping/backup.py) comes first; if it cannot be written the upload is refused, nothing
written. Writes from this process go one at a time (WRITE_LOCK); a write that cannot start within BUSY_WAIT_SECONDS,
or that DuckDB refuses because another transaction changed the same rows, is reported as busy and writes nothing.
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass

import duckdb

from strategy import db, periods
from strategy.ingest.stages import reached
from strategy.names import name_key, tidy_name
from strategy.safekeeping.backup import automatic_backup
from strategy.safekeeping.originals import PendingOriginal

log = logging.getLogger(__name__)
WRITE_LOCK, BUSY_WAIT_SECONDS = db.WRITE_LOCK, db.BUSY_WAIT_SECONDS
BUSY_MESSAGE = (
    "Another upload is being saved at this moment, so nothing from this file was written. Try again in a minute."
)


class Busy(Exception):
    """Another write holds the database; nothing was written."""


class CouldNotWrite(Exception):
    """The database refused the write for lack of room (a full disk, a file that cannot grow); nothing was written."""


# Errors that mean "no room to write", as opposed to another transaction's conflicting write (which is "busy").
WRITE_FAILURES = (duckdb.IOException, duckdb.FatalException, OSError, CouldNotWrite)


def could_not_write(error: BaseException) -> str:
    """What to tell someone whose change could not be written (usually a full disk): nothing was saved."""
    detail = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    if isinstance(error, PermissionError):
        return (
            "The server could not write the change (it is not allowed to write in its data folder), so nothing "
            "was saved. Ask whoever looks after the server to check the folder's permissions, then try again. "
            f"Details: {detail}"
        )
    return (
        "The server could not write the change (its disk is full, or a file cannot grow), so nothing was saved. "
        f"Free space on the server (or ask whoever looks after it), then try again. Details: {detail}"
    )


def refused_for_lack_of_room(error: duckdb.Error) -> bool:
    """A commit DuckDB refused because a file could not be written, not because of a conflicting write."""
    text = str(error).lower()
    return "could not write" in text or "no space left" in text or "file too large" in text


@dataclass(frozen=True)
class LoadResult:
    upload_id: int
    partner_id: int
    partner_created: bool
    new_activities: int
    replaced_activities: int


@dataclass(frozen=True)
class UploadRecord:
    file_name: str
    partner_name: str
    actor: str
    sha256: str
    encoding: str | None
    delimiter: str | None
    rows: int
    report: dict
    original: PendingOriginal


def earlier_upload_of(cursor: duckdb.DuckDBPyConnection, sha256: str) -> tuple[int, str] | None:
    """(upload_id, partner name) of a loaded activity upload with the same bytes, if any."""
    rows = cursor.execute(
        "SELECT u.upload_id, coalesce(p.name, '') FROM uploads u LEFT JOIN partners p USING "
        "(partner_id) WHERE u.sha256 = $sha AND u.kind = 'activities' AND u.status = 'loaded' "
        "ORDER BY u.upload_id LIMIT 1",
        {"sha": sha256},
    ).fetchall()
    return rows[0] if rows else None


def write_upload(cursor: duckdb.DuckDBPyConnection, record: UploadRecord) -> LoadResult | tuple[int, str]:
    """Write the typed rows left by validation in one transaction; an earlier upload's (id, partner) if a duplicate."""
    if not WRITE_LOCK.acquire(timeout=BUSY_WAIT_SECONDS):
        raise Busy(BUSY_MESSAGE)
    try:
        reached("write lock")
        earlier = earlier_upload_of(cursor, record.sha256)
        if earlier:
            return earlier
        automatic_backup(cursor, f"before import {record.partner_name}")  # BackupFailed: refused, nothing written
        reached("backed up")
        in_row = record.original.keep()  # durable before the row that names it
        reached("original kept")
        try:
            with db.transaction(cursor, own_cursor=False):  # the staged rows are this cursor's temporary tables
                written = _write(cursor, record, in_row)
                reached("before commit")
            reached("committed")
            return written
        except (duckdb.TransactionException, duckdb.ConstraintException) as conflict:
            if refused_for_lack_of_room(conflict):
                raise CouldNotWrite(str(conflict)) from conflict
            # A write from another connection touched the same rows first; this one was rolled back whole.
            log.warning("upload write refused by the database: %s", conflict)
            raise Busy(BUSY_MESSAGE) from conflict
    finally:
        WRITE_LOCK.release()


def _write(cursor: duckdb.DuckDBPyConnection, record: UploadRecord, original_in_row: bytes | None) -> LoadResult:
    # the one rule for names (strategy/names.py), as the permission check used: the same key is the same partner
    partner = cursor.execute(db.sql_text("partner_by_name"), {"partner_key": name_key(record.partner_name)}).fetchall()
    created = not partner
    if created:
        # max + 1 rather than the sequence: the demo loader writes its own ids without advancing it.
        partner_id = db.execute(
            cursor,
            "insert_partner",
            partner_name=tidy_name(record.partner_name),
            partner_key=name_key(record.partner_name),
            sector=None,
        )[0][0]
        sector_before = None
    else:
        partner_id, _, sector_before = partner[0]
    report = {**record.report, "partner_created": created, "partner_sector_before": sector_before}
    upload_id = cursor.execute(
        "INSERT INTO uploads (kind, partner_id, uploaded_by, file_name, sha256, encoding, delimiter, rows_read, "
        "rows_loaded, rows_rejected, status, report, original) VALUES ('activities', $partner, $actor, $file, $sha, "
        "$encoding, $delimiter, $rows, $rows, 0, 'loaded', $report, $original) RETURNING upload_id",
        {
            "partner": partner_id,
            "actor": record.actor,
            "file": record.file_name,
            "sha": record.sha256,
            "encoding": record.encoding,
            "delimiter": record.delimiter,
            "rows": record.rows,
            "report": json.dumps(report, default=str),
            "original": original_in_row,
        },
    ).fetchall()[0][0]
    reached("upload recorded")
    # New keys are the largest so far plus the row's spreadsheet row number (unique within the file; gaps are
    # harmless), so every table below takes its keys by arithmetic instead of joining a million rows.
    base = cursor.execute("SELECT coalesce(max(activity_key), 0) FROM activities").fetchall()[0][0]
    params = {"partner": partner_id, "upload": upload_id, "base": base}
    # Rows that give an activity_id this partner loaded before: they become its next version.
    cursor.execute(
        """CREATE OR REPLACE TEMP TABLE replacing AS
        SELECT t.row_number, previous.version + 1 AS version, previous.activity_key AS previous_key
        FROM typed t
        JOIN (SELECT activity_id, max(version) AS version,
                     max(activity_key) FILTER (WHERE replaced_by_upload IS NULL) AS activity_key
              FROM activities WHERE partner_id = $partner GROUP BY activity_id) previous
          ON previous.activity_id = t.activity_id""",
        {"partner": partner_id},
    )
    replaced = cursor.execute(
        "UPDATE activities SET replaced_by_upload = $upload WHERE activity_key IN "
        "(SELECT previous_key FROM replacing WHERE previous_key IS NOT NULL)",
        {"upload": upload_id},
    ).fetchall()[0][0]
    # The derived columns (strategy/activities.py) come with the typed rows (computed per distinct cell during
    # validation): far faster on a large upload than inserting and then updating a million rows.
    cursor.execute(
        """INSERT INTO activities (activity_key, partner_id, activity_id, version, upload_id, title,
            description, sector, start_date, end_date, status, participants, investment_gbp, target_groups,
            aim_mask, way_mask, theme_mask, place_set)
        SELECT $base + t.row_number, $partner, t.activity_id, coalesce(r.version, 1), $upload, t.title,
               t.description, t.sector, t.start_date, t.end_date, t.status, CAST(t.participants_number AS BIGINT),
               -- a valid amount is under 1e12, so it fits 64-bit decimals, which round several times faster
               CAST(round(CAST(t.investment_number AS DECIMAL(18, 6)), 2) AS DECIMAL(14, 2)),
               CASE WHEN len(t.target_groups) > 0 THEN t.target_groups END,
               t.aim_mask, t.way_mask, t.theme_mask, t.place_set
        FROM typed t LEFT JOIN replacing r USING (row_number)""",
        params,
    )
    reached("activities written")
    # Aims, ways and themes are linked from the masks the rows carry (each distinct mask's codes worked out once),
    # so the links and the masks cannot disagree.
    for table, column, letter in (
        ("activity_aims", "aim", "A"),
        ("activity_ways", "way", "W"),
        ("activity_themes", "theme", "T"),
    ):
        cursor.execute(
            f"""INSERT INTO {table} (activity_key, {column})
            SELECT $base + t.row_number, m.code FROM typed t
            JOIN (SELECT mask, unnest(mask_codes(mask, '{letter}')) AS code
                  FROM (SELECT DISTINCT {column}_mask AS mask FROM typed)) m ON m.mask = t.{column}_mask""",
            {"base": base},
        )  # fixed names
    db.execute(cursor, "insert_places_for_upload", base=base)
    reached("links written")
    db.execute(cursor, "set_partner_sector_from_activities", partner_id=partner_id)
    new = record.rows - replaced
    db.audit(
        cursor,
        record.actor,
        "upload activities",
        f"{record.file_name}: {record.rows} activities for {record.partner_name} ({new} new, {replaced} replaced)",
        upload_id,
    )
    if db.meta(cursor, "dataset") in (None, "empty"):
        db.set_meta(cursor, "dataset", "partner returns")
    db.set_meta(cursor, "data_as_of", periods.today().isoformat())  # the day figures are worked out on
    return LoadResult(upload_id, partner_id, created, new, replaced)
