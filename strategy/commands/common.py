"""What every command shares: the database option, the filter options, and how results are printed."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from typing import Any

from strategy import access, periods
from strategy.access import LOCAL_USER, PermissionDenied, User
from strategy.filters import Filters
from strategy.framework import Framework, load_framework


class UsageError(Exception):
    """A command was given something it cannot use; the message says what to change (exit status 2)."""


def add_database_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=argparse.SUPPRESS,
        help="database file (default: $STRATEGY_DB or data/strategy.duckdb)",
    )


def database_argument(args: argparse.Namespace) -> str | None:
    return getattr(args, "db", None)


def add_acting_user_option(parser: argparse.ArgumentParser) -> None:
    """--as EMAIL: who is acting. Accepted before the command (a global option) and after it."""
    parser.add_argument(
        "--as",
        dest="as_email",
        metavar="EMAIL",
        default=argparse.SUPPRESS,
        help="act as this user (required when sign-in is on; in local mode the local user acts)",
    )


def acting_user(args: argparse.Namespace, con) -> User:
    """The user a command acts as: --as EMAIL looked up in the users table; without it, the local user in local
    mode. PermissionDenied when the email is not an active user; UsageError when sign-in is on and --as is missing."""
    from strategy.users import signed_in_user

    email = getattr(args, "as_email", None)
    if not email:
        if access.sign_in_mode():
            raise UsageError("Sign-in is on, so say who you are: add --as EMAIL (a user of the dashboard).")
        return LOCAL_USER
    if access.normalised_email(email) == access.LOCAL_EMAIL and not access.sign_in_mode():
        return LOCAL_USER
    return signed_in_user(con, email)


def refused(problem: PermissionDenied, args: argparse.Namespace | None = None) -> int:
    """A refusal by role: written to the audit log of the command's database (when it can be opened), the message,
    exit status 1."""
    if args is not None and isinstance(problem.user, User) and problem.action:
        from strategy import db
        from strategy.audit import record_refusal

        try:
            con = db.connect(database_argument(args))
        except db.DatabaseUnavailable:
            pass
        else:
            with con:
                record_refusal(con, problem.user, problem.action, f"command {getattr(args, 'command', None) or ''}")
    return fail(str(problem), 1)


def add_filter_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("filters (repeat an option to choose several)")
    group.add_argument(
        "--place",
        action="append",
        default=[],
        metavar="CODE_OR_NAME",
        help="a district, city or county (name or ONS code); a county includes its districts",
    )
    group.add_argument("--sector", action="append", default=[], metavar="NAME")
    group.add_argument("--aim", action="append", default=[], metavar="AIM", help="an aim's code: A1, A2, ...")
    group.add_argument("--way", action="append", default=[], metavar="WAY", help="a way of working's code: W1, W2, ...")
    group.add_argument("--theme", action="append", default=[], metavar="THEME", help="a theme's code: T1, T2, ...")
    group.add_argument("--partner", action="append", default=[], metavar="NAME")
    group.add_argument("--from", dest="date_from", metavar="YYYY-MM-DD")
    group.add_argument("--to", dest="date_to", metavar="YYYY-MM-DD")


def filters_from_arguments(args: argparse.Namespace, framework: Framework | None = None) -> Filters:
    """Filters from the command line's options, or UsageError naming the value that is not understood."""
    framework = framework or load_framework()
    places = []
    for text in args.place:
        code = framework.resolve("place", text)
        if not code or framework.place(code).level == "country":
            example = framework.example_place() or framework.local_places()[0]
            raise UsageError(
                f"--place {text!r} is not a place of the partnership; use a name such as "
                f"'{example.name}' or an ONS code such as {example.code}"
            )
        places.append(code)

    def codes(kind: str, values: list[str], option: str) -> tuple[str, ...]:
        found = []
        for text in values:
            code = framework.resolve(kind, text)
            if code is None:
                choices = ", ".join(i.code for i in framework.items(kind))
                raise UsageError(f"{option} {text!r} is not known; use one of {choices} or its name")
            found.append(code)
        return tuple(found)

    def day(text: str | None, option: str) -> date | None:
        if not text:
            return None
        try:
            return date.fromisoformat(text)
        except ValueError:
            raise UsageError(f"{option} {text!r} is not a date; write it as YYYY-MM-DD") from None

    try:
        periods.today()  # a period's figures depend on today: a bad STRATEGY_TODAY is reported here
    except ValueError as problem:
        raise UsageError(str(problem)) from None
    return Filters(
        places=tuple(places),
        sectors=codes("sector", args.sector, "--sector"),
        aims=codes("aim", args.aim, "--aim"),
        ways=codes("way", args.way, "--way"),
        themes=codes("theme", args.theme, "--theme"),
        partners=tuple(args.partner),
        date_from=day(args.date_from, "--from"),
        date_to=day(args.date_to, "--to"),
    )


def print_json(value: Any) -> None:
    json.dump(value, sys.stdout, indent=2, default=str, ensure_ascii=False)
    sys.stdout.write("\n")


def fail(message: str, status: int = 1) -> int:
    print(f"error: {message}", file=sys.stderr)
    return status
