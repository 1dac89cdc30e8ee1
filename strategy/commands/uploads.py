"""python -m strategy uploads [--json] and rollback UPLOAD_ID"""

from __future__ import annotations

import argparse

from strategy.access import PermissionDenied
from strategy.commands.common import (
    UsageError,
    acting_user,
    add_acting_user_option,
    database_argument,
    fail,
    print_json,
    refused,
)


def register(subparsers) -> None:
    uploads = subparsers.add_parser("uploads", help="list uploads, newest first")
    uploads.add_argument("--partner", metavar="NAME", help="only this partner's uploads")
    uploads.add_argument("--json", action="store_true")
    add_acting_user_option(uploads)
    uploads.set_defaults(run=run_uploads)
    rollback = subparsers.add_parser("rollback", help="undo one activity upload")
    rollback.add_argument("upload_id", type=int, metavar="UPLOAD_ID")
    rollback.add_argument("--json", action="store_true")
    add_acting_user_option(rollback)
    rollback.set_defaults(run=run_rollback)


def run_uploads(args: argparse.Namespace) -> int:
    from strategy import db  # heavy (pandas, DuckDB): not needed for --help
    from strategy.ingest import upload_history

    try:
        con = db.connect(database_argument(args), read_only=True)
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        try:
            user = acting_user(args, con)
        except UsageError as problem:
            return fail(str(problem), 2)
        except PermissionDenied as problem:
            return refused(problem, args)
        own = user.partner if user.role == "partner" else None  # a partner sees only their own uploads
        history = upload_history(con, own or args.partner).drop(columns=["sha256"])
    if args.json:
        print_json(history.astype(object).where(history.notna(), None).to_dict(orient="records"))
    elif history.empty:
        print("No uploads yet.")
    else:
        print(history.to_string(index=False))
    return 0


def run_rollback(args: argparse.Namespace) -> int:
    from strategy import db
    from strategy.ingest import rollback_upload

    try:
        con = db.connect(database_argument(args))
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        db.migrate(con)
        try:
            report = rollback_upload(con, args.upload_id, acting_user(args, con))
        except UsageError as problem:
            return fail(str(problem), 2)
        except PermissionDenied as problem:
            return refused(problem, args)
    if args.json:
        print_json(report.as_json())
    else:
        print(report.message)
    return 0 if report.ok else 1
