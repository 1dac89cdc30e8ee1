"""import_activities: the one entry point the upload page and the command line share."""

from __future__ import annotations

import hashlib
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Callable

import duckdb

from strategy.access import User, require
from strategy.framework import Framework, load_framework
from strategy.ingest.decode import decode_file, has_control_characters
from strategy.ingest.feedback import annotated_file, preview, problems_in_order
from strategy.ingest.load import (
    WRITE_FAILURES,
    Busy,
    LoadResult,
    UploadRecord,
    could_not_write,
    earlier_upload_of,
    write_upload,
)
from strategy.ingest.read import RawTable, read_raw_table
from strategy.ingest.report import BUSY, DUPLICATE, LOADED, REJECTED, VALID, FileRejected, ImportReport, Limits, Problem
from strategy.ingest.stages import reached
from strategy.ingest.validate import validate
from strategy.safekeeping.backup import BackupFailed
from strategy.safekeeping.originals import PendingOriginal

Progress = Callable[[float, str], None]
STAGING_TABLES = (
    "replacing",
    "typed",
    "cell_pieces",
    "cell_codes",
    "cell_profiles",
    "unknown_sectors",
    "date_values",
    "group_values",
    "word_values",
    "staged",
    "staged_rows",
    "problems",
    "unknown_values",
    "code_lookup",
    "place_lookup",
    "status_lookup",
    "replaced_place_lookup",
    "raw_csv",
    "raw_cells",
    "return_changes",
)


def import_activities(
    con: duckdb.DuckDBPyConnection,
    data: bytes,
    file_name: str,
    partner_name: str,
    actor: User,
    dry_run: bool = False,
    limits: Limits | None = None,
    framework: Framework | None = None,
    progress: Progress | None = None,
) -> ImportReport:
    """Check a partner's activity file and, unless dry_run or it has problems, load it whole; what happened.

    Never raises for anything in the file: every problem is in the report and nothing is written.
    """
    require(actor, "import_activities", partner=(partner_name or "").strip() or None)  # before reading the file
    limits = limits or Limits()
    framework = framework or load_framework()
    step = progress or (lambda fraction, text: None)
    partner_name = (partner_name or "").strip()
    report = ImportReport(status=REJECTED, file_name=file_name, partner=partner_name)
    digest = _sha256_in_background(data)
    if not partner_name:
        report.sha256 = digest.result()
        return _rejected(
            report, Problem(0, "", "", "Say which partner organisation the activities belong to.", "no partner")
        )
    if len(data) > limits.max_bytes:
        report.sha256 = digest.result()
        return _rejected(
            report,
            Problem(
                0,
                "",
                f"{len(data) / 1048576:.1f} MB",
                f"The file is "
                f"{len(data) / 1048576:.1f} MB; the largest accepted is "
                f"{limits.max_megabytes:g} MB. Split it into smaller files, or save it as "
                "CSV, which is smaller.",
                "file too large",
            ),
        )
    cursor = con.cursor()  # its own connection: staging tables are private to this import
    original: PendingOriginal | None = None
    raw: RawTable | None = None
    try:
        step(0.05, "Reading the file")
        reached("reading")
        try:
            decoded = decode_file(data, file_name)
            report.assumed.update(
                {"file_type": decoded.kind.upper(), "encoding": decoded.encoding, "delimiter": decoded.delimiter_name}
            )
            raw = read_raw_table(cursor, decoded, data, limits)
            if decoded.kind == "csv":  # checked on another core while the rows are staged
                controls = _in_background(has_control_characters, decoded.utf8)
                raw.may_hold_control_characters = controls.result
        except FileRejected as unreadable:
            return _rejected(report, *unreadable.problems)
        finally:
            report.sha256 = digest.result()
        earlier = earlier_upload_of(cursor, report.sha256)
        if earlier:
            return _duplicate(report, earlier)
        if not dry_run:  # written to disk while the rows are checked; removed again if they are not loaded
            original = PendingOriginal(cursor, data, report.sha256, background=True)
        if raw.sheet_note:
            report.warnings.append(Problem(0, "", "", raw.sheet_note, "other sheet"))
        if decoded.encoding == "Windows-1252":
            report.warnings.append(
                Problem(
                    0,
                    "",
                    "",
                    "The file is not UTF-8, so it was read as Windows-1252 "
                    "(Excel's 'CSV (Comma delimited)'). Check that accented letters and £ "
                    "signs look right in the preview.",
                    "encoding assumed",
                )
            )
        step(0.3, "Checking every row")
        try:
            checked = validate(cursor, raw, framework, limits)
        except FileRejected as unreadable:  # a row further down that cannot be read
            return _rejected(report, *unreadable.problems)
        report.rows = checked.rows
        report.warnings += checked.warnings
        report.assumed.update(checked.assumed)
        report.errors, report.errors_total = problems_in_order(cursor)
        if checked.header_problems:
            report.errors = checked.header_problems + report.errors
            report.errors_total += len(checked.header_problems)
        if report.errors:
            step(0.9, "Listing the problems")
            report.message = (
                f"{report.errors_total:,} problem(s) found; nothing was loaded. Fix them in your "
                "file and upload it again."
            )
            if checked.data_rows:
                report.annotated_file, report.annotated_file_name = annotated_file(
                    cursor, raw, file_name, decoded.kind, decoded.delimiter
                )
            return report
        report.preview = preview(cursor)
        raw.close()  # the checked rows are in tables now; a memory-backed copy of the file need not wait for loading
        if dry_run:
            from strategy.rounds.returns import return_changes  # rounds builds on the ingest package

            report.changes, report.change_counts = return_changes(cursor, partner_name)
            report.status = VALID
            report.message = f"{report.rows:,} activities are ready to load."
            step(1.0, "Checked")
            return report
        step(0.6, f"Loading {report.rows:,} activities")
        reached("validated")
        _drop_staging(cursor, keep=("typed",))  # what loading needs; the rest would only hold memory
        try:
            written = write_upload(
                cursor,
                UploadRecord(
                    file_name,
                    partner_name,
                    actor.email,
                    report.sha256,
                    decoded.encoding,
                    decoded.delimiter_name,
                    report.rows,
                    {"warnings": [w.as_dict() for w in report.warnings], "assumed": report.assumed},
                    original,
                ),
            )
        except Busy as busy:
            report.status, report.message = BUSY, str(busy)
            return report
        except BackupFailed as failed:
            return _rejected(
                report,
                Problem(
                    0,
                    "",
                    "",
                    f"Nothing was loaded: every import is preceded by an automatic backup, and it failed. {failed}",
                    "backup failed",
                ),
            )
        if not isinstance(written, LoadResult):
            return _duplicate(report, written)
        report.status, report.upload_id = LOADED, written.upload_id
        report.partner_created = written.partner_created
        report.new_activities, report.replaced_activities = written.new_activities, written.replaced_activities
        report.message = (
            f"Loaded {report.rows:,} activities for {partner_name} ({written.new_activities:,} new, "
            f"{written.replaced_activities:,} replacing earlier versions) as upload "
            f"{written.upload_id}." + (" A new partner was added." if written.partner_created else "")
        )
        step(1.0, "Loaded")
        return report
    except WRITE_FAILURES as failed:  # a full disk, a file that cannot grow: on reading, staging or loading
        return _rejected(report, Problem(0, "", "", could_not_write(failed), "could not write"))
    finally:
        if original is not None:
            original.discard()  # nothing once it has been kept
        if raw is not None:
            raw.close()
        try:
            _drop_staging(cursor)
        except duckdb.Error:  # after a failed write; the temporary tables go with the cursor anyway
            pass
        cursor.close()


def _sha256_in_background(data: bytes) -> Future[str]:
    """The file's sha256, worked out in a thread while the file is decoded and read (hashlib lets other threads
    run meanwhile): a large file's checksum then costs no extra time."""
    return _in_background(lambda: hashlib.sha256(data).hexdigest())


def _in_background(work: Callable, *args) -> Future:
    """work(*args) in a thread of its own (hashlib and numpy let other threads run meanwhile)."""
    pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="upload-check")
    try:
        return pool.submit(work, *args)
    finally:
        pool.shutdown(wait=False)  # the thread ends when its one task is done


def _rejected(report: ImportReport, *problems: Problem) -> ImportReport:
    report.status = REJECTED
    report.errors = list(problems)
    report.errors_total = len(problems)
    report.message = problems[0].message if len(problems) == 1 else f"{len(problems)} problems; nothing was loaded."
    return report


def _duplicate(report: ImportReport, earlier: tuple[int, str]) -> ImportReport:
    report.status = DUPLICATE
    report.upload_id = earlier[0]
    report.message = (
        f"This exact file was already loaded as upload {earlier[0]} (for {earlier[1]}), so it was "
        "not loaded again. To load it once more, roll that upload back first."
    )
    return report


def _drop_staging(cursor: duckdb.DuckDBPyConnection, keep: tuple[str, ...] = ()) -> None:
    found = cursor.execute(
        "SELECT table_name, table_type FROM information_schema.tables WHERE table_catalog = "
        "'temp' ORDER BY table_type DESC"
    ).fetchall()  # views first: they read the tables
    for name, kind in found:
        if name in STAGING_TABLES and name not in keep:  # fixed names
            cursor.execute(f"DROP {'VIEW' if kind == 'VIEW' else 'TABLE'} IF EXISTS temp.{name}")
