"""python -m strategy backup DIR / restore DIR / backups / health: keeping the data safe on a server."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from strategy.access import PermissionDenied
from strategy.commands.common import (
    add_acting_user_option,
    database_argument,
    fail,
    print_json,
    refused,
)


def register(subparsers) -> None:
    make = subparsers.add_parser(
        "backup", help="write a checked copy of the whole database to a new folder (works while the dashboard runs)"
    )
    make.add_argument("directory", metavar="DIR", help="a new or empty folder")
    make.add_argument("--json", action="store_true", help="print the manifest")
    add_acting_user_option(make)
    make.set_defaults(run=run_backup)
    restore = subparsers.add_parser(
        "restore", help="rebuild the database from a backup folder and verify it (stop the dashboard first)"
    )
    restore.add_argument("directory", metavar="DIR")
    add_acting_user_option(restore)
    restore.set_defaults(run=run_restore)
    listing = subparsers.add_parser("backups", help="list the backups in the backup folder, newest first")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=run_list)
    check = subparsers.add_parser("health", help="run a real query against the main tables; exit 0 when healthy")
    check.add_argument(
        "--url",
        metavar="URL",
        help="ask the running dashboard (e.g. http://127.0.0.1:8501) instead of opening the file",
    )
    check.add_argument("--json", action="store_true")
    check.set_defaults(run=run_health)


def run_backup(args: argparse.Namespace) -> int:
    from strategy import db  # heavy (pandas, DuckDB): not needed for --help
    from strategy.safekeeping import backup
    from strategy.safekeeping import backup_beside_server as backup_requests

    directory, database = Path(args.directory), database_argument(args)
    if not db.database_path(database, needed_for="A backup").exists():
        return fail(f"There is no database at {db.database_path(database)} to back up.")
    try:
        con = db.connect(database)
    except db.DatabaseUnavailable as problem:
        if not problem.in_use:
            return fail(str(problem))
        print("The dashboard has the database open; asking it to write the backup ...")
        reply = backup_requests.ask_dashboard_for_backup(
            directory, database, acting_email=getattr(args, "as_email", None)
        )
        if not reply["ok"]:
            return fail(reply["message"])
        manifest = reply["manifest"]
    else:
        try:
            # A backup copies everything, users and audit log included: an admin's decision, checked and audited
            # (refusals too) the same way whether this command or the running dashboard writes it.
            db.migrate(con)
            manifest = backup.backup_as(con, getattr(args, "as_email", None), directory)
        except PermissionDenied as problem:
            return refused(problem)  # already in the audit log as 'backup refused' (backup.may_back_up)
        except backup.BackupFailed as problem:
            return fail(str(problem))
        finally:
            con.close()
    if args.json:
        print_json(manifest)
    else:
        rows = sum(t["rows"] for t in manifest["tables"].values())
        print(
            f"Backup written to {directory}: {len(manifest['tables'])} tables, {rows:,} rows "
            "(row counts and content hashes in manifest.json)."
        )
    return 0


def run_restore(args: argparse.Namespace) -> int:
    from strategy import db
    from strategy.safekeeping import backup, restore

    actor = None
    db.database_path(database_argument(args), needed_for="A restore")  # a named database has no file to restore
    if _sound(database_argument(args)):
        try:  # the database being replaced says who may replace it (an unreadable one cannot: that is the repair)
            with db.connect(database_argument(args)) as con:
                db.migrate(con)
                actor = backup.may_back_up(con, getattr(args, "as_email", None), f"restore from {args.directory}")
        except PermissionDenied as problem:
            return refused(problem)  # already in the audit log as 'backup refused' (backup.may_back_up)
        except Exception:  # in use (restore_backup says so) or unreadable (restore is the repair)
            actor = None
    report = restore.restore_backup(args.directory, database_argument(args))
    if report.ok:
        with db.connect(database_argument(args)) as con:
            db.migrate(con)
            db.audit(
                con,
                actor or getattr(args, "as_email", None) or "command line (database was unreadable)",
                "restore",
                f"from {args.directory}",
            )
    print(report.message)
    for problem in report.problems:
        print(f"  {problem}")
    return 0 if report.ok else 1


def _sound(database) -> bool:
    """Whether the database file exists and passes the health command's checks of the file itself. A damaged one
    is not opened for writing before the restore (that could change it before it is set aside), and cannot say
    who may replace it: restoring over damage is the repair."""
    from strategy import db
    from strategy.safekeeping import health

    if not db.database_path(database).exists():
        return False
    return not health.check_file(database).damaged


def run_list(args: argparse.Namespace) -> int:
    from strategy.safekeeping import backup

    root = backup.backup_root(database_argument(args))
    found = backup.list_backups(root) if root.exists() else []
    if args.json:
        print_json(found)
    elif not found:
        print(f"No backups in {root} yet.")
    else:
        print(f"Backups in {root} (automatic ones kept {backup.keep_days()} days):")
        for item in found:
            print(
                f"  {item['created_at']}  {item['reason']:<22} {item['activities'] or 0:>9,} activity rows  "
                f"{item['folder']}"
            )
    return 0


def run_health(args: argparse.Namespace) -> int:
    from strategy.safekeeping import health

    if args.url:
        report = _health_over_http(args.url.rstrip("/") + "/healthz")
    else:
        report = health.check_file(database_argument(args))
        if not report.ok and "in use" in report.message:
            report = health.Health(False, report.message + " To check the running dashboard, use --url.")
    if args.json:
        print_json(report.as_json())
    else:
        print(report.message)
    return 0 if report.ok else 1


def _health_over_http(url: str):
    import urllib.error
    import urllib.request

    from strategy.safekeeping import health

    try:
        with urllib.request.urlopen(url, timeout=10) as answer:
            return health.Health(True, **_parts(json.load(answer)))
    except urllib.error.HTTPError as refused:
        return health.Health(False, **_parts(json.load(refused)))
    except (OSError, ValueError) as error:
        return health.Health(False, f"The dashboard at {url} did not answer: {error}")


def _parts(body: dict) -> dict:
    """The running dashboard answers only "ok" or "unavailable" to anyone who asks; the reason is in its server
    log (or run this command without --url on the server, which reads the file and shows the figures)."""
    status = str(body.get("status", "unavailable"))
    message = body.pop("message", "") or (
        "ok: the dashboard answered and its data is readable."
        if status == "ok"
        else "unavailable: the dashboard's data cannot be read. The reason is in the server's log."
    )
    return {"message": message, "figures": {k: v for k, v in body.items() if k != "status"}}
