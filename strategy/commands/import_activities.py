"""python -m strategy import activities FILE --partner NAME [--dry-run] [--json]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from strategy.access import PermissionDenied
from strategy.commands.common import (
    UsageError,
    acting_user,
    add_acting_user_option,
    database_argument,
    fail,
    print_json,
)


def register_import(kinds) -> None:
    parser = kinds.add_parser("activities", help="a partner's activity file (CSV or XLSX, see the template)")
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--partner", required=True, metavar="NAME", help="the partner organisation (created if new)")
    parser.add_argument("--dry-run", action="store_true", help="check the file and report; write nothing")
    parser.add_argument("--json", action="store_true", help="print the outcome as one JSON object")
    add_acting_user_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from strategy import db  # heavy (pandas, DuckDB): not needed for --help
    from strategy.ingest import BUSY, REJECTED, import_activities
    from strategy.ingest.load import WRITE_FAILURES, could_not_write
    from strategy.ingest.report import Limits
    from strategy.ingest.stages import reached

    path = Path(args.file)
    if not path.is_file():
        return fail(f"{path}: no such file", 2)
    limits = Limits()
    data = path.read_bytes()
    try:
        con = db.connect(database_argument(args))
    except db.DatabaseUnavailable as problem:  # usually the running dashboard holds the file
        return refused(args, BUSY if problem.in_use else REJECTED, str(problem))
    try:
        db.migrate(con)
        progress = None if args.json else (lambda fraction, text: print(f"{text} ...", file=sys.stderr, flush=True))
        report = import_activities(
            con,
            data,
            path.name,
            args.partner,
            acting_user(args, con),
            dry_run=args.dry_run,
            limits=limits,
            progress=progress,
        )
    except UsageError as problem:
        return fail(str(problem), 2)
    except PermissionDenied as problem:  # the role, or another partner's organisation: nothing was read
        return refused(args, REJECTED, str(problem))
    except WRITE_FAILURES as failed:  # migrating a full disk's database; the import itself reports its own
        return refused(args, REJECTED, could_not_write(failed))
    finally:
        close(con)
    reached("closed")
    if args.json:
        print_json(report.as_json())
    else:
        print(report.message)
        if report.change_counts:
            print(
                "  compared with the partner's current activities: "
                + ", ".join(f"{count:,} {kind}" for kind, count in report.change_counts.items())
            )
        for key, value in report.assumed.items():
            print(f"  assumed {key}: {value}")
        for warning in report.warnings:
            print(f"  note (row {warning.row}, {warning.column or 'file'}): {warning.message}")
        for problem in (p for p in report.errors if p.message != report.message):  # not the same sentence twice
            print(f"  row {problem.row}, {problem.column or 'file'}, {problem.value!r}: {problem.message}")
        if report.errors_total > len(report.errors):
            print(f"  ... and {report.errors_total - len(report.errors):,} more")
    return 0 if report.ok else 1


def refused(args: argparse.Namespace, status: str, message: str) -> int:
    """A refusal before or around the import: one JSON object with --json (status busy or rejected), else a line
    on stderr; exit status 1 either way."""
    if args.json:
        print_json(
            {
                "status": status,
                "rows": 0,
                "upload_id": None,
                "errors": [],
                "errors_total": 0,
                "warnings": [],
                "message": message,
            }
        )
        return 1
    return fail(message)


def close(con) -> None:
    """Let go of the file. Closing folds the write-ahead log into it; if that cannot be written (a full disk) the
    committed changes stay in the log and are applied the next time the file is opened, so nothing is lost."""
    from strategy.ingest.load import WRITE_FAILURES

    try:
        con.close()
    except WRITE_FAILURES as failed:
        print(
            f"note: the database file could not be tidied up on closing ({failed}); what was saved is kept in "
            "its write-ahead log and applied when it is next opened. Free space on the server.",
            file=sys.stderr,
        )
