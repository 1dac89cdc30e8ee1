"""Is the dashboard's data usable? A real query against the main tables, for a monitor or a reverse proxy."""

from __future__ import annotations

import os
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from strategy import db
from strategy.safekeeping import originals

# DuckDB's file starts with three 4 KiB headers (the main one carries the word DUCK at byte 8), then its blocks.
HEADER_BYTES = 4096
MAGIC = b"DUCK"
# What DuckDB says when a block on disk is not what it wrote: the file is damaged, not the query wrong.
DAMAGE_WORDS = (
    "corrupt database file",
    "could not read enough bytes",
    "checksum",
    "failure while replaying wal",
    "not a valid duckdb database",
)


@dataclass(frozen=True)
class Health:
    ok: bool
    message: str
    figures: dict = field(default_factory=dict)
    damaged: bool = False  # the file itself is damaged (restore the latest backup), not merely busy or old

    def as_json(self) -> dict:
        return {"status": "ok" if self.ok else "unavailable", "message": self.message, **self.figures}


def file_problem(path: str | os.PathLike, con: duckdb.DuckDBPyConnection | None = None) -> str | None:
    """What is wrong with the database file as it is on disk now, or None.

    Always: the file must exist and start as a DuckDB file does (4 KiB read, cheap enough for every page run).
    With the connection that has it open: the file must also be long enough to hold every block that connection's
    tables and catalogue use (a file cut short under a running dashboard goes unnoticed otherwise, because the
    connection answers from the blocks it already holds in memory). The header's own block count is no guide:
    DuckDB trims free blocks from the end of the file and keeps counting them."""
    file = Path(path)
    problem, size = _header_problem(file)
    if problem or con is None:
        return problem
    needed = least_file_size(con)
    if size < needed:
        time.sleep(SETTLE_SECONDS)  # a checkpoint may be extending the file this moment: look again
        problem, size = _header_problem(file)
        if problem or size < needed:
            return problem or (
                f"The database {file} is shorter on disk than the blocks it uses ({size:,} bytes where "
                f"at least {needed:,} are needed): it has been truncated. {db.REPAIR}"
            )
    return None


SETTLE_SECONDS = 0.5


def _header_problem(file: Path) -> tuple[str | None, int]:
    """(what is wrong with the file's existence or first header, its size)."""
    try:
        head, size = _read_head(file)
    except FileNotFoundError:
        return str(db.missing_database(file)), 0
    except OSError as error:
        return f"The database {file} cannot be read: {error}.", 0
    if size < 3 * HEADER_BYTES or head[8:12] != MAGIC:
        return f"The database {file} is not a DuckDB database file any more (its header is wrong). {db.REPAIR}", size
    return None, size


# Closing any descriptor of a file drops every POSIX lock this process holds on it, DuckDB's own lock included, after
# which another program could open the file the dashboard is writing. So the header is read through a descriptor
# that stays open (one per file, reopened when the file at the path is replaced), never opened and closed per read.
_HEADS: dict[str, int] = {}
_HEADS_LOCK = threading.Lock()
_MOST_HEADS = 64  # descriptors kept at most (a server has one database; a test run opens many)


def _read_head(file: Path) -> tuple[bytes, int]:
    """The first HEADER_BYTES of the file and its size. FileNotFoundError when it is not there."""
    if not hasattr(os, "pread"):  # Windows: its file locks are not dropped by closing another descriptor
        with file.open("rb") as stream:
            return stream.read(HEADER_BYTES), os.fstat(stream.fileno()).st_size
    key = os.path.abspath(file)
    with _HEADS_LOCK:
        now = os.stat(key)
        kept = _HEADS.get(key)
        if kept is not None and (os.fstat(kept).st_ino, os.fstat(kept).st_dev) != (now.st_ino, now.st_dev):
            os.close(_HEADS.pop(key))  # replaced: the old file's descriptor guards nothing any more
            kept = None
        if kept is None:
            if len(_HEADS) >= _MOST_HEADS:
                os.close(_HEADS.pop(next(iter(_HEADS))))
            kept = _HEADS[key] = os.open(key, os.O_RDONLY)
        return os.pread(kept, HEADER_BYTES, 0), now.st_size


def least_file_size(con: duckdb.DuckDBPyConnection) -> int:
    """The least size the open database's file can have: its three headers, then every block up to the highest
    one a table's saved data or the catalogue uses (about 3 ms a table)."""
    layout = db.query(con, "database_file_layout").iloc[0]
    highest = [layout.highest_metadata_block] + [
        db.query(con, "table_blocks_in_use", table_name=table).highest_block.iloc[0]
        for table in db.base_table_names(con)
    ]
    blocks = [int(block) for block in highest if not pd.isna(block)]  # NULL: nothing of it saved yet
    return 3 * HEADER_BYTES + (max(blocks, default=-1) + 1) * int(layout.block_size)


def unreadable_table(con: duckdb.DuckDBPyConnection) -> str | None:
    """Read every value of every table, so DuckDB checks the checksum of every block that holds data; what is
    wrong, or None. Used when a file is opened (the health command, the dashboard's first connection), not on every
    query: tens of milliseconds on the demo database."""
    for table in db.base_table_names(con):
        try:
            db.read_every_value(con, table)
        except (duckdb.BinderException, duckdb.NotImplementedException):
            continue  # a column type without an order: DuckDB read the others
        except duckdb.Error as error:
            return f"The database is damaged: reading the table {table} failed ({error}). {db.REPAIR}"
    return None


def is_damage(error: BaseException) -> bool:
    """Whether a DuckDB error says the file on disk is damaged (rather than that a query is wrong)."""
    text = str(error).lower()
    return any(words in text for words in DAMAGE_WORDS)


def check(con: duckdb.DuckDBPyConnection) -> Health:
    """The file on disk first (file_problem), then the health query on its own cursor; healthy when both are
    right and the schema is current."""
    file = originals.database_file(con)
    problem = file_problem(file, con) if file else None
    if problem:
        return Health(False, problem, damaged=file.exists())
    started = time.perf_counter()
    try:
        row = db.query(con, "health_check").iloc[0]
    except duckdb.Error as error:
        return Health(
            False,
            f"The database did not answer: {error}" + (f" {db.REPAIR}" if is_damage(error) else ""),
            damaged=is_damage(error),
        )
    figures = {
        key: (
            None
            if value is None or value != value
            else value.isoformat()
            if hasattr(value, "isoformat")
            else int(value)
        )
        for key, value in row.items()
    }
    figures["query_ms"] = round((time.perf_counter() - started) * 1000, 1)
    latest = db.migration_files()[-1][0]
    if figures["schema_version"] < latest:
        return Health(
            False,
            f"The database is at schema version {figures['schema_version']} but this version of "
            f"the dashboard needs {latest}: run python -m strategy init.",
            figures,
        )
    if figures["duplicate_activity_keys"]:
        return Health(
            False,
            f"{figures['duplicate_activity_keys']:,} activity key(s) are used twice, so totals cannot "
            "be trusted. Restore the last backup (README, Operations) and upload what came after.",
            figures,
        )
    return Health(
        True, f"ok: {figures['current_activities']:,} current activities, {figures['uploads']:,} uploads", figures
    )


def check_file(path=None) -> Health:
    """Open the database file read-only (replaying its write-ahead log) and check it as it is on disk: its header
    and size, every block of every table read back against its checksum, then the health query. For when the
    dashboard is not holding the file. A named database (MotherDuck) is not a file: refused, saying so; check the
    running dashboard (--url) instead."""
    try:
        db.database_path(path, needed_for="Checking the database file (use --url to check the running dashboard)")
        con = db.connect(path, read_only=True)
    except db.DatabaseUnavailable as problem:
        return Health(
            False, str(problem), damaged=not (problem.in_use or problem.missing or isinstance(problem, db.SettingError))
        )
    with con:
        problem = file_problem(db.database_path(path), con) or unreadable_table(con)
        return Health(False, problem, damaged=True) if problem else check(con)
