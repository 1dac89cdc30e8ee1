"""Is the dashboard's data usable? A real query against the main tables, for a monitor or a reverse proxy."""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import duckdb

from strategy import db


@dataclass(frozen=True)
class Health:
    ok: bool
    message: str
    figures: dict = field(default_factory=dict)

    def as_json(self) -> dict:
        return {"status": "ok" if self.ok else "unavailable", "message": self.message, **self.figures}


def check(con: duckdb.DuckDBPyConnection) -> Health:
    """Run the health query on its own cursor; healthy when it answers and the schema is current."""
    started = time.perf_counter()
    try:
        row = db.query(con, "health_check").iloc[0]
    except duckdb.Error as error:
        return Health(False, f"The database did not answer: {error}")
    figures = {key: (None if value is None or value != value else
                     value.isoformat() if hasattr(value, "isoformat") else int(value)) for key, value in row.items()}
    figures["query_ms"] = round((time.perf_counter() - started) * 1000, 1)
    latest = db.migration_files()[-1][0]
    if figures["schema_version"] < latest:
        return Health(False, f"The database is at schema version {figures['schema_version']} but this version of "
                             f"the dashboard needs {latest}: run python -m strategy init.", figures)
    if figures["duplicate_activity_keys"]:
        return Health(False, f"{figures['duplicate_activity_keys']:,} activity key(s) are used twice, so totals cannot "
                             "be trusted. Restore the last backup (README, Operations) and upload what came after.",
                      figures)
    return Health(True, f"ok: {figures['current_activities']:,} current activities, {figures['uploads']:,} uploads",
                  figures)


def check_file(path=None) -> Health:
    """Open the database file read-only and check it (when the dashboard is not holding it). A named database
    (MotherDuck) is not a file: refused, saying so; check the running dashboard (--url) instead."""
    try:
        db.database_path(path, needed_for="Checking the database file (use --url to check the running dashboard)")
        con = db.connect(path, read_only=True)
    except db.DatabaseUnavailable as problem:
        return Health(False, str(problem))
    with con:
        return check(con)
