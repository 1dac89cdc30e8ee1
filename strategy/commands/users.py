"""python -m strategy users add EMAIL --role ROLE [--partner NAME] | change | deactivate | list,
partners add NAME | list, and audit export FILE.csv|FILE.xlsx (admins only)."""

from __future__ import annotations

import argparse
from pathlib import Path

from strategy import access
from strategy.access import ROLES, PermissionDenied, User
from strategy.commands.common import (
    UsageError,
    acting_user,
    add_acting_user_option,
    database_argument,
    fail,
    print_json,
    refused,
)

# Before anyone can sign in, someone on the server must add the first admin. While the database has no active
# admin, the command line may do that one thing without --as; it is recorded under this name.
FIRST_ADMIN_SETUP = User(email="first-admin setup (command line)", role="admin")


def register(subparsers) -> None:
    users = subparsers.add_parser("users", help="who may sign in, with which role (admins)")
    actions = users.add_subparsers(title="actions", metavar="ACTION")
    add = actions.add_parser("add", help="add a user")
    add.add_argument("email", metavar="EMAIL")
    add.add_argument("--role", required=True, choices=ROLES)
    add.add_argument("--partner", metavar="NAME", help="the partner organisation (partner role only)")
    add.set_defaults(run=run_users, action="add")
    change = actions.add_parser("change", help="give a user another role or organisation")
    change.add_argument("email", metavar="EMAIL")
    change.add_argument("--role", required=True, choices=ROLES)
    change.add_argument("--partner", metavar="NAME")
    change.set_defaults(run=run_users, action="change")
    deactivate = actions.add_parser("deactivate", help="stop a user signing in (history is kept)")
    deactivate.add_argument("email", metavar="EMAIL")
    deactivate.set_defaults(run=run_users, action="deactivate")
    listing = actions.add_parser("list", help="list users")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=run_users, action="list")
    for parser in (add, change, deactivate, listing):
        add_acting_user_option(parser)

    partners = subparsers.add_parser("partners", help="partner organisations (admins)")
    partner_actions = partners.add_subparsers(title="actions", metavar="ACTION")
    partner_add = partner_actions.add_parser("add", help="add a partner organisation")
    partner_add.add_argument("name", metavar="NAME")
    partner_add.add_argument("--sector", metavar="CODE")
    partner_add.set_defaults(run=run_partners, action="add")
    partner_list = partner_actions.add_parser("list", help="list partner organisations")
    partner_list.add_argument("--json", action="store_true")
    partner_list.set_defaults(run=run_partners, action="list")
    for parser in (partner_add, partner_list):
        add_acting_user_option(parser)

    audit = subparsers.add_parser("audit", help="the audit log (admins)")
    audit_actions = audit.add_subparsers(title="actions", metavar="ACTION")
    export = audit_actions.add_parser("export", help="write the audit log to CSV or Excel")
    export.add_argument("file", metavar="FILE.csv|FILE.xlsx")
    export.set_defaults(run=run_audit, action="export")
    show = audit_actions.add_parser("list", help="print the newest audit entries")
    show.add_argument("--limit", type=int, default=50)
    show.add_argument("--json", action="store_true")
    show.set_defaults(run=run_audit, action="list")
    for parser in (export, show):
        add_acting_user_option(parser)


def _records(table) -> list[dict]:
    return table.astype(object).where(table.notna(), None).to_dict(orient="records")


def _actor(args: argparse.Namespace, con) -> User:
    from strategy.users import has_active_admin

    if (
        args.action == "add"
        and args.role == "admin"
        and not getattr(args, "as_email", None)
        and access.sign_in_mode()
        and not has_active_admin(con)
    ):
        return FIRST_ADMIN_SETUP
    return acting_user(args, con)


def _open(args: argparse.Namespace):
    from strategy import db

    con = db.connect(database_argument(args), read_only=False)
    db.migrate(con)
    return con


def run_users(args: argparse.Namespace) -> int:
    from strategy import db  # heavy (pandas, DuckDB): not needed for --help
    from strategy.users import UserProblem, add_user, change_user, deactivate_user, list_users

    try:
        con = _open(args)
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        try:
            actor = _actor(args, con)
            if args.action == "list":
                table = list_users(con, actor)
                if args.json:
                    print_json(_records(table))
                else:
                    print(table.to_string(index=False) if len(table) else "No users yet.")
                return 0
            if args.action == "add":
                user = add_user(con, actor, args.email, args.role, args.partner)
                print(f"Added {user.email} as {user.role}" + (f" for {user.partner}." if user.partner else "."))
            elif args.action == "change":
                user = change_user(con, actor, args.email, args.role, args.partner)
                print(f"{user.email} is now {user.role}" + (f" for {user.partner}." if user.partner else "."))
            else:
                deactivate_user(con, actor, args.email)
                print(f"{args.email.strip().lower()} can no longer sign in.")
            return 0
        except UsageError as problem:
            return fail(str(problem), 2)
        except UserProblem as problem:
            return fail(str(problem), 2)
        except PermissionDenied as problem:
            return refused(problem, args)


def run_partners(args: argparse.Namespace) -> int:
    from strategy import db
    from strategy.users import UserProblem, add_partner, list_partners

    try:
        con = _open(args)
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        try:
            actor = acting_user(args, con)
            if args.action == "add":
                print(f"Added partner organisation {add_partner(con, actor, args.name, args.sector)}.")
                return 0
            table = list_partners(con, actor)
            print_json(_records(table)) if args.json else print(table.to_string(index=False))
            return 0
        except (UsageError, UserProblem) as problem:
            return fail(str(problem), 2)
        except PermissionDenied as problem:
            return refused(problem, args)


def run_audit(args: argparse.Namespace) -> int:
    from strategy import db
    from strategy.audit import audit_entries, write_audit_export

    if args.action == "export" and Path(args.file).suffix.lower() not in (".csv", ".xlsx"):
        return fail(f"{Path(args.file).name}: the export file must end in .csv or .xlsx", 2)
    try:
        con = _open(args)  # an export of the audit log is itself logged
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        try:
            actor = acting_user(args, con)
            if args.action == "export":
                target = write_audit_export(con, actor, args.file)
                print(f"Wrote the audit log to {target}")
                return 0
            table = audit_entries(con, actor, limit=args.limit)
            print_json(_records(table)) if args.json else print(table.to_string(index=False))
            return 0
        except UsageError as problem:
            return fail(str(problem), 2)
        except PermissionDenied as problem:
            return refused(problem, args)
