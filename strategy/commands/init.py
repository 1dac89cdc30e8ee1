"""python -m strategy init [--demo] [--activities N]"""

from __future__ import annotations

import argparse

from strategy.access import PermissionDenied, require
from strategy.commands.common import UsageError, acting_user, add_acting_user_option, database_argument, fail, refused
from strategy.framework import FrameworkError


def register(subparsers) -> None:
    parser = subparsers.add_parser("init", help="create or upgrade the database; --demo loads the demo data")
    parser.add_argument("--demo", action="store_true", help="replace all activities with the fictional demo")
    parser.add_argument(
        "--activities", type=int, default=None, help="how many demo activities (default 1,500; for benchmarks: 1000000)"
    )
    add_acting_user_option(parser)
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    from strategy import db  # heavy (pandas, DuckDB): not needed for --help
    from strategy.build import build_database, demo
    from strategy.db import DatabaseUnavailable

    if args.activities is None:
        args.activities = demo.DEFAULT_ACTIVITIES
    if args.activities < 1:
        return fail("--activities must be 1 or more", 2)
    location = db.database_location(database_argument(args))
    # a named (MotherDuck) database may hold users already: changing it is an admin's decision, as for a file
    existing = db.is_named_database(location) or db.database_path(location).exists()
    try:
        actor = None
        if existing:  # a new file has no users yet; changing an existing one is an admin's decision
            with db.connect(database_argument(args)) as con:
                db.migrate(con)
                actor = require(acting_user(args, con), "manage_framework")
        report = build_database(database_argument(args), with_demo=args.demo, activities=args.activities)
        if actor is not None:
            with db.connect(database_argument(args)) as con:
                db.audit(
                    con,
                    actor,
                    "init database",
                    ("demo data loaded; " if args.demo else "")
                    + "migrations: "
                    + (", ".join(report.migrations_applied) or "none"),
                )
    except DatabaseUnavailable as problem:
        return fail(str(problem))
    except UsageError as problem:
        return fail(str(problem), 2)
    except FrameworkError as problem:
        return fail(f"{problem} Nothing was changed.", 2)
    except PermissionDenied as problem:
        return refused(problem, args)
    print(f"Database: {report.path}")
    print("Migrations applied: " + (", ".join(report.migrations_applied) or "none (already up to date)"))
    if report.demo_activities:
        print(f"Demo data loaded: {report.demo_activities:,} activities")
    print("Rows: " + ", ".join(f"{table} {count:,}" for table, count in report.table_counts.items()))
    return 0
