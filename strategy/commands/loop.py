"""python -m strategy decisions list|add|set-state and scenarios list: the board's decisions and saved what-ifs."""

from __future__ import annotations

import argparse
from datetime import date

from strategy.access import PermissionDenied
from strategy.commands.common import (
    UsageError,
    acting_user,
    add_acting_user_option,
    add_filter_options,
    database_argument,
    fail,
    filters_from_arguments,
    print_json,
    refused,
)
from strategy.loop.states import STATES


def register(subparsers) -> None:
    parser = subparsers.add_parser("decisions", help="board decisions and actions, and what moved since (leaders)")
    actions = parser.add_subparsers(title="actions", metavar="ACTION")
    listing = actions.add_parser("list", help="every decision with its owner, state and what moved since")
    listing.add_argument("--state", action="append", default=[], choices=list(STATES))
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(run=run_decisions, action="list")
    add = actions.add_parser("add", help="record a decision made on a view (the filters below)")
    add.add_argument("what", metavar="WHAT", help="what was decided, in a sentence")
    add.add_argument("--owner", required=True, metavar="NAME", help="who will do it")
    add.add_argument("--due", metavar="YYYY-MM-DD", help="by when")
    add.add_argument("--experiment", type=int, metavar="ID", help="the experiment it concerns")
    add.add_argument("--commitment", type=int, metavar="ID", help="the learning log commitment it concerns")
    add.add_argument("--view", default="", metavar="NAME", help="the page or slide it was made on")
    add_filter_options(add)
    add.set_defaults(run=run_decisions, action="add")
    state = actions.add_parser("set-state", help="move a decision to open, in_progress, done or dropped")
    state.add_argument("decision_id", type=int, metavar="ID")
    state.add_argument("state", metavar="STATE", help=", ".join(STATES))
    state.set_defaults(run=run_decisions, action="set-state")
    for sub in (listing, add, state):
        add_acting_user_option(sub)

    saved = subparsers.add_parser("scenarios", help="saved what-if money scenarios (never reported figures)")
    saved_actions = saved.add_subparsers(title="actions", metavar="ACTION")
    saved_list = saved_actions.add_parser("list", help="every saved scenario and what it moves")
    saved_list.add_argument("--json", action="store_true")
    saved_list.set_defaults(run=run_scenarios, action="list")


def _day(text: str | None) -> date | None:
    if not text:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise UsageError(f"--due {text!r} is not a date; write it as YYYY-MM-DD") from None


def _open(args: argparse.Namespace):
    from strategy import db

    """The database, upgraded to the decisions and scenarios tables if it predates them."""
    con = db.connect(database_argument(args), read_only=False)
    db.migrate(con)
    return con


def _records(table) -> list[dict]:
    return table.astype(object).where(table.notna(), None).to_dict(orient="records")


def run_decisions(args: argparse.Namespace) -> int:
    import pandas as pd  # heavy (pandas, DuckDB): loaded only when a command runs, not for --help

    from strategy import db, periods
    from strategy.framework import load_framework
    from strategy.loop import decisions

    framework = load_framework()
    try:
        con = _open(args)
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        try:
            if args.action == "list":
                table = decisions.since_last_time(con, framework, states=args.state)
                if args.json:
                    print_json(_records(table))
                elif table.empty:
                    print("No decisions recorded yet.")
                else:
                    for row in table.itertuples():
                        due = f", due {periods.govuk_date(row.due_date)}" if pd.notna(row.due_date) else ""
                        print(
                            f"{row.decision_id}. {row.what} — {row.owner}, {decisions.STATES[row.state].lower()}"
                            f"{due}; since {periods.govuk_date(row.decided_on)}: {decisions.movement_text(row)}"
                            + f" [view: {decisions.view_words(framework, row.view_query, row.view_page)}"
                            + (f", link ?{row.view_query}]" if row.view_query else "]")
                        )
                return 0
            actor = acting_user(args, con)
            if args.action == "add":
                filters = filters_from_arguments(args, framework)
                made = decisions.record_decision(
                    con,
                    framework,
                    actor,
                    args.what,
                    args.owner,
                    filters,
                    due_date=_day(args.due),
                    view_page=args.view,
                    experiment_id=args.experiment,
                    reflection_id=args.commitment,
                )
                print(f"Recorded decision {made.decision_id}: {made.what} (owner {made.owner}, open).")
            else:
                made = decisions.set_state(con, actor, args.decision_id, args.state)
                print(f"Decision {made.decision_id} is now {decisions.STATES[made.state].lower()}.")
            return 0
        except (UsageError, decisions.DecisionProblem) as problem:
            return fail(str(problem), 2)
        except PermissionDenied as problem:
            return refused(problem, args)


def run_scenarios(args: argparse.Namespace) -> int:
    from strategy import db
    from strategy.framework import load_framework
    from strategy.loop import scenarios

    framework = load_framework()
    try:
        con = _open(args)
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        table = scenarios.saved_scenarios(con)
        if args.json:
            print_json(_records(table))
        elif table.empty:
            print("No scenarios saved yet.")
        else:
            for row in table.itertuples():
                pack = "in the board pack" if row.in_board_pack else "not in the board pack"
                print(
                    f"{row.scenario_id}. {row.name} ({scenarios.SCENARIO_MARK.lower()}, {pack}): "
                    f"{scenarios.describe(framework, scenarios.saved_settings(row))}"
                )
    return 0
