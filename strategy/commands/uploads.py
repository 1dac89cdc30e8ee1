"""python -m strategy uploads [--json] and rollback UPLOAD_ID"""

from __future__ import annotations

import argparse

from strategy import db
from strategy.commands.common import database_argument, fail, print_json
from strategy.ingest import rollback_upload, upload_history


def register(subparsers) -> None:
    uploads = subparsers.add_parser("uploads", help="list uploads, newest first")
    uploads.add_argument("--partner", metavar="NAME", help="only this partner's uploads")
    uploads.add_argument("--json", action="store_true")
    uploads.set_defaults(run=run_uploads)
    rollback = subparsers.add_parser("rollback", help="undo one activity upload")
    rollback.add_argument("upload_id", type=int, metavar="UPLOAD_ID")
    rollback.add_argument("--json", action="store_true")
    rollback.add_argument("--as", dest="actor", default="local", metavar="EMAIL", help="who is rolling back")
    rollback.set_defaults(run=run_rollback)


def run_uploads(args: argparse.Namespace) -> int:
    try:
        con = db.connect(database_argument(args), read_only=True)
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        history = upload_history(con, args.partner).drop(columns=["sha256"])
    if args.json:
        print_json(history.astype(object).where(history.notna(), None).to_dict(orient="records"))
    elif history.empty:
        print("No uploads yet.")
    else:
        print(history.to_string(index=False))
    return 0


def run_rollback(args: argparse.Namespace) -> int:
    try:
        con = db.connect(database_argument(args))
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        db.migrate(con)
        report = rollback_upload(con, args.upload_id, args.actor)
    if args.json:
        print_json(report.as_json())
    else:
        print(report.message)
    return 0 if report.ok else 1
