"""Creates or upgrades a database file: migrations, reference data, and optionally the demo."""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date

from strategy import db
from strategy.activities import derive_for_upload
from strategy.build import demo
from strategy.build.reference import load_reference
from strategy.framework import FrameworkError, load_framework


@dataclass
class BuildReport:
    path: str
    migrations_applied: list[str]
    demo_activities: int | None
    table_counts: dict[str, int]


def build_database(
    path: str | os.PathLike | None = None,
    with_demo: bool = False,
    activities: int = demo.DEFAULT_ACTIVITIES,
    today: date | None = None,
) -> BuildReport:
    """Create or migrate the database, refresh reference data, and load the demo if asked; what was done.

    Safe to run again: migrations already applied are skipped and existing activities are kept
    (only --demo replaces them).
    """
    framework = load_framework()
    con = db.connect(path, create=True)  # the one place a new database file is made
    try:
        applied = db.migrate(con)
        built_for = db.meta(con, "strategy")
        if built_for is not None and built_for != framework.name:
            raise FrameworkError(
                f"{db.shown_location(db.database_location(path))} holds {built_for}'s data, but the "
                f"framework file ({framework.source}) is {framework.name}'s. Set STRATEGY_FRAMEWORK "
                "and STRATEGY_REFERENCE to that strategy's files, or STRATEGY_DB to this strategy's "
                "own database."
            )
        with db.transaction(con) as cursor:
            db.set_meta(cursor, "strategy", framework.name)
            load_reference(cursor, framework)
            if cursor.execute("SELECT count(*) FROM activities WHERE aim_mask IS NULL").fetchall()[0][0]:
                derive_for_upload(cursor, None)  # a database from before the derived columns existed
            if db.meta(cursor, "dataset") is None:
                db.set_meta(cursor, "dataset", "empty")
        loaded = demo.load_demo(con, framework, activities=activities, today=today) if with_demo else None
        con.execute("CHECKPOINT")
        return BuildReport(db.shown_location(db.database_location(path)), applied, loaded, db.table_counts(con))
    finally:
        con.close()
