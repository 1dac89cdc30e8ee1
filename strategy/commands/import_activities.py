"""python -m strategy import activities FILE --partner NAME [--dry-run] [--json]"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from strategy.access import PermissionDenied
from strategy import db
from strategy.commands.common import (UsageError, acting_user, add_acting_user_option, database_argument, fail,
                                      print_json, refused)
from strategy.ingest import import_activities
from strategy.ingest.report import Limits


def register_import(kinds) -> None:
    parser = kinds.add_parser("activities", help="a partner's activity file (CSV or XLSX, see the template)")
    parser.add_argument("file", metavar="FILE")
    parser.add_argument("--partner", required=True, metavar="NAME", help="the partner organisation (created if new)")
    parser.add_argument("--dry-run", action="store_true", help="check the file and report; write nothing")
    parser.add_argument("--json", action="store_true", help="print the outcome as one JSON object")
    add_acting_user_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    path = Path(args.file)
    if not path.is_file():
        return fail(f"{path}: no such file", 2)
    limits = Limits()
    data = path.read_bytes()
    try:
        con = db.connect(database_argument(args))
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    try:
        db.migrate(con)
        progress = None if args.json else (lambda fraction, text: print(f"{text} ...", file=sys.stderr, flush=True))
        report = import_activities(con, data, path.name, args.partner, acting_user(args, con),
                                   dry_run=args.dry_run, limits=limits, progress=progress)
    except UsageError as problem:
        return fail(str(problem), 2)
    except PermissionDenied as problem:
        return refused(problem)
    finally:
        con.close()
    if args.json:
        print_json(report.as_json())
    else:
        print(report.message)
        for key, value in report.assumed.items():
            print(f"  assumed {key}: {value}")
        for warning in report.warnings:
            print(f"  note (row {warning.row}, {warning.column or 'file'}): {warning.message}")
        for problem in report.errors:
            print(f"  row {problem.row}, {problem.column or 'file'}, {problem.value!r}: {problem.message}")
        if report.errors_total > len(report.errors):
            print(f"  ... and {report.errors_total - len(report.errors):,} more")
    return 0 if report.ok else 1
