"""python -m strategy rounds open NAME --deadline YYYY-MM-DD --partner P ...|--all / rounds list / rounds status
[NAME] [--json], and return FILE.xlsx --partner NAME (a partner's pre-filled return)."""

from __future__ import annotations

import argparse
from pathlib import Path

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
    rounds = subparsers.add_parser("rounds", help="reporting rounds: open one, list them, who has returned")
    actions = rounds.add_subparsers(title="actions", metavar="ACTION", dest="rounds_action")
    opening = actions.add_parser("open", help="open a reporting round")
    opening.add_argument("name", metavar="NAME", help="the round's name, e.g. '2026/27 Q2'")
    opening.add_argument("--deadline", required=True, metavar="YYYY-MM-DD")
    expected = opening.add_mutually_exclusive_group(required=True)
    expected.add_argument(
        "--partner", action="append", metavar="NAME", help="a partner expected to return (repeat for several)"
    )
    expected.add_argument("--all", action="store_true", help="every partner is expected to return")
    opening.set_defaults(run=run_open)
    listing = actions.add_parser("list", help="every round, newest first")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=run_list)
    status = actions.add_parser("status", help="each expected partner: returned, late or not started")
    status.add_argument("name", nargs="?", metavar="NAME", help="the round (default: the newest)")
    status.add_argument("--json", action="store_true")
    status.set_defaults(run=run_status)
    for parser in (rounds, opening, listing, status):
        add_acting_user_option(parser)
    rounds.set_defaults(run=lambda args: fail("say what to do: rounds open, rounds list or rounds status", 2))
    writing = subparsers.add_parser("return", help="write a partner's pre-filled return (Excel template)")
    writing.add_argument("file", metavar="FILE.xlsx")
    writing.add_argument("--partner", required=True, metavar="NAME")
    add_acting_user_option(writing)
    writing.set_defaults(run=run_return)


def _today_or_usage() -> None:
    from strategy import periods  # heavy (pandas, DuckDB): loaded only when a command runs

    try:
        periods.today()
    except ValueError as problem:
        raise UsageError(str(problem)) from None


def run_open(args: argparse.Namespace) -> int:
    from strategy import db  # heavy (pandas, DuckDB): loaded only when a command runs
    from strategy.rounds import RoundProblem, open_round, round_status

    try:
        con = db.connect(database_argument(args))
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        try:
            db.migrate(con)
            opened = open_round(
                con, acting_user(args, con), args.name, args.deadline, partners=args.partner, all_partners=args.all
            )
            _, table = round_status(con, acting_user(args, con), opened.name)
        except (UsageError, RoundProblem) as problem:
            return fail(str(problem), 2)
        except PermissionDenied as problem:
            return refused(problem, args)
    names = ", ".join(table.partner) if len(table) <= 10 else f'see: python -m strategy rounds status "{opened.name}"'
    print(
        f"Opened the round {opened.name}: deadline {opened.deadline:%d/%m/%Y}, {len(table):,} partner"
        f"{'s' if len(table) != 1 else ''} expected ({names})."
    )
    return 0


def run_list(args: argparse.Namespace) -> int:
    from strategy import db  # heavy (pandas, DuckDB): loaded only when a command runs
    from strategy.rounds import list_rounds

    try:
        con = db.connect(database_argument(args), read_only=True)
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        try:
            table = list_rounds(con, acting_user(args, con))
        except UsageError as problem:
            return fail(str(problem), 2)
        except PermissionDenied as problem:
            return refused(problem, args)
    if args.json:
        print_json(table.astype(object).where(table.notna(), None).to_dict(orient="records"))
    elif table.empty:
        print("No reporting rounds yet; open one with: python -m strategy rounds open NAME --deadline YYYY-MM-DD --all")
    else:
        print(table.to_string(index=False))
    return 0


def run_status(args: argparse.Namespace) -> int:
    from strategy import db, periods  # heavy (pandas, DuckDB): loaded only when a command runs
    from strategy.rounds import RoundProblem, round_status

    try:
        con = db.connect(database_argument(args), read_only=True)
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        try:
            _today_or_usage()
            found, table = round_status(con, acting_user(args, con), args.name)
        except (UsageError, RoundProblem) as problem:
            return fail(str(problem), 2)
        except PermissionDenied as problem:
            return refused(problem, args)
    if found is None:
        return fail(
            "There are no reporting rounds yet; open one with: python -m strategy rounds open NAME "
            "--deadline YYYY-MM-DD --all",
            1,
        )
    counts = table.status.value_counts().to_dict()
    if args.json:
        print_json(
            {
                "round": found.name,
                "deadline": found.deadline.isoformat(),
                "opened_at": found.opened_at,
                "today": periods.today().isoformat(),
                "counts": counts,
                "partners": table.astype(object).where(table.notna(), None).to_dict(orient="records"),
            }
        )
    else:
        print(
            f"{found.name}: deadline {found.deadline:%d/%m/%Y}; "
            + ", ".join(f"{counts.get(s, 0)} {s}" for s in ("returned", "late", "not started"))
        )
        shown = table[["partner", "status", "returned_at", "returned_by", "upload_id"]].astype(object)
        shown["returned_at"] = [f"{t:%d/%m/%Y %H:%M}" if t == t and t is not None else "" for t in table.returned_at]
        print(shown.where(shown.notna(), "").to_string(index=False))
    return 0


def run_return(args: argparse.Namespace) -> int:
    from strategy import db, exports  # heavy (pandas, DuckDB): loaded only when a command runs
    from strategy.names import name_key
    from strategy.rounds import prefilled_return
    from strategy.rounds.returns import record_download
    from strategy.rounds.round import find_round

    target = Path(args.file)
    if target.suffix.lower() != ".xlsx":
        return fail(f"{target}: a return is an Excel workbook; name the file ….xlsx", 2)
    try:
        con = db.connect(database_argument(args))  # taking a return is written to the audit log
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        try:
            db.migrate(con)
            actor = acting_user(args, con)
            known = db.query(con, "partner_by_name", partner_key=name_key(args.partner))
            if known.empty:
                raise UsageError(f"{args.partner!r} is not a partner; 'python -m strategy partners list' shows them.")
            partner = known.name.iloc[0]
            newest = find_round(con)
            data = prefilled_return(con, actor, partner, round_name=newest.name if newest else None)
            count = len(db.query(con, "partner_current_activities", partner_key=name_key(partner)))
            record_download(con, actor, partner, newest.name if newest else None)
        except UsageError as problem:
            return fail(str(problem), 2)
        except PermissionDenied as problem:
            return refused(problem, args)
    exports.write_atomically(target, data)
    print(
        f"Wrote {target}: the {count:,} current activities of {partner}, ready to update and upload "
        f'(python -m strategy import activities {target} --partner "{partner}").'
    )
    return 0
