"""The one module that opens the database, applies migrations and runs the named SQL files."""

from __future__ import annotations

import os
import re
import threading
from contextlib import contextmanager
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

import duckdb
import pandas as pd

PROJECT_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_DB = PROJECT_ROOT / "data" / "strategy.duckdb"
MIGRATIONS = Path(__file__).with_name("migrations")
SQL_DIR = Path(__file__).with_name("sql")
# Views and macros are re-created on every init (like a repeatable migration), so editing one needs no new file.
REPEATABLE = SQL_DIR / "views_and_macros.sql"
# How places that reorganise count in their successors; builds on the macros above, so it runs after them.
PLACE_SUCCESSOR_MACROS = SQL_DIR / "place_successor_macros.sql"

# Writes that add activities (uploads, roll backs, experiments) go one at a time in this process, and DuckDB's file
# lock keeps other processes out: new activity keys, taken above the largest under this lock, are unique without
# an index (migration 050).
WRITE_LOCK = threading.Lock()
BUSY_WAIT_SECONDS = 30.0  # how long a write waits for the one before it

_PARAMETER = re.compile(r"\$([A-Za-z_][A-Za-z0-9_]*)")


class DatabaseUnavailable(Exception):
    """The database file cannot be opened; the message says what to do. in_use: another program holds it."""

    def __init__(self, message: str, in_use: bool = False):
        super().__init__(message)
        self.in_use = in_use


PRIVATE_UMASK = 0o077


def keep_files_private() -> None:
    """From now on this process creates files readable by its own account only (0600, folders 0700): the database,
    its write-ahead log, backups, uploaded originals, exports. Called by the server and the command line."""
    os.umask(PRIVATE_UMASK)


def private_folder(folder: Path) -> Path:
    """Create a folder (and its parents) for the dashboard's data, readable by this account only."""
    missing = [parent for parent in [folder, *folder.parents] if not parent.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    for created in missing:
        try:
            os.chmod(created, 0o700)
        except OSError:
            pass
    return folder


# Databases DuckDB opens by name rather than as a file on this computer: MotherDuck's 'md:NAME' (or
# 'motherduck:NAME'), for several partnerships on one service (docs/operations.md, "Beyond one machine").
NAMED_DATABASE_PREFIXES = ("md:", "motherduck:")


class NotAFileDatabase(DatabaseUnavailable):
    """The database is a named service database (MotherDuck) and the operation works only on a file here."""


def is_named_database(location: str | os.PathLike) -> bool:
    """True for a MotherDuck name ('md:NAME', 'motherduck:NAME'), which is not a path."""
    return os.fspath(location).strip().lower().startswith(NAMED_DATABASE_PREFIXES)


def database_location(path: str | os.PathLike | None = None) -> str:
    """The database as DuckDB is to open it: the argument, else $STRATEGY_DB, else data/strategy.duckdb. A named
    database ('md:NAME', with any '?option=...') is passed on exactly as written; anything else is a file path."""
    location = os.fspath(path) if path else (os.environ.get("STRATEGY_DB") or os.fspath(DEFAULT_DB))
    return location if is_named_database(location) else str(Path(location))


def shown_location(location: str | os.PathLike) -> str:
    """A database location fit for a message or a log: a named database without its options (a token may be one);
    a file path as it is."""
    text = os.fspath(location)
    return text.split("?", 1)[0] if is_named_database(text) else text


def database_path(path: str | os.PathLike | None = None, needed_for: str = "This") -> Path:
    """The database file: the argument, else $STRATEGY_DB, else data/strategy.duckdb. NotAFileDatabase, saying
    what to do instead, when it is a named database (MotherDuck): needed_for names the operation that needs a file
    ("A backup"), which is then refused rather than run on a path made from the name."""
    location = database_location(path)
    if is_named_database(location):
        raise NotAFileDatabase(
            f"{needed_for} works only on a database file on this computer, and the database is "
            f"{shown_location(location)}, a MotherDuck database (STRATEGY_DB or --db). Use MotherDuck's own "
            "tools for this (docs/operations.md, \"Beyond one machine\"), or point STRATEGY_DB at a .duckdb file.")
    return Path(location)


def connect(path: str | os.PathLike | None = None, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """An open connection, or DatabaseUnavailable explaining a lock held by another process. A named database
    (MotherDuck, 'md:NAME') is opened by its name, untouched."""
    location = database_location(path)
    if is_named_database(location):
        try:
            return duckdb.connect(location, read_only=read_only)
        except duckdb.Error as error:
            raise DatabaseUnavailable(f"The database {shown_location(location)} could not be opened: "
                                      f"{str(error).replace(location, shown_location(location))}") from error
    file = Path(location)
    if read_only and not file.exists():
        raise DatabaseUnavailable(f"No database at {file}. Create it with: python -m strategy init --demo")
    private_folder(file.parent)
    created = not file.exists()
    try:
        con = duckdb.connect(str(file), read_only=read_only)
        if created and file.exists():
            os.chmod(file, 0o600)  # holds users, the audit log and partners' figures
        return con
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            holder = re.search(r"\(PID (\d+)\)", str(error))
            raise DatabaseUnavailable(
                f"The database {file} is in use by another program"
                f"{f' (process {holder.group(1)})' if holder else ''}, usually the running dashboard; only one "
                "program may have it open. Make this change from the dashboard's own pages (uploads and roll backs "
                "are on its Upload page; `python -m strategy backup DIR` works while it runs), or stop the "
                "dashboard, run this command, and start it again. If another import is running, wait for it to "
                "finish and try again.", in_use=True) from error
        raise DatabaseUnavailable(f"The database {file} could not be opened: {error}") from error


@lru_cache(maxsize=None)
def sql_text(name: str) -> str:
    """The text of a named SQL file in strategy/sql/ (without '.sql')."""
    return (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")


def bound_parameters(sql: str, params: dict[str, Any]) -> dict[str, Any]:
    """The parameters a statement names, taken from params (DuckDB refuses unused ones)."""
    wanted = dict.fromkeys(_PARAMETER.findall(re.sub(r"--[^\n]*", "", sql)))
    missing = [name for name in wanted if name not in params]
    if missing:
        raise KeyError(f"SQL needs parameters {missing}")
    return {name: params[name] for name in wanted}


def query(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> pd.DataFrame:
    """Run the named SQL file with bound parameters on its own cursor; a DataFrame of the result."""
    sql = sql_text(name)
    cursor = con.cursor()
    try:
        return cursor.execute(sql, bound_parameters(sql, params)).df()
    finally:
        cursor.close()


def execute(con: duckdb.DuckDBPyConnection, name: str, **params: Any) -> list[tuple]:
    """Run a named SQL statement (a write) on the given connection; its rows."""
    sql = sql_text(name)
    return con.execute(sql, bound_parameters(sql, params)).fetchall()


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing: commit when the block finishes, roll back if it raises."""
    con.execute("BEGIN TRANSACTION")
    try:
        yield con
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def migration_files() -> list[tuple[int, str, Path]]:
    """(version, name, file) of every migration, in order."""
    found = []
    for file in sorted(MIGRATIONS.glob("*.sql")):
        number, _, name = file.stem.partition("_")
        found.append((int(number), name, file))
    return found


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'").fetchall()[0][0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchall()[0][0]


def migrate(con: duckdb.DuckDBPyConnection) -> list[str]:
    """Apply every migration newer than the file's version, each in its own transaction; their names."""
    con.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)""")
    current = schema_version(con)
    applied = []
    for version, name, file in migration_files():
        if version <= current:
            continue
        with transaction(con):
            con.execute(file.read_text(encoding="utf-8"))
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
        applied.append(f"{version:03d}_{name}")
    con.execute(REPEATABLE.read_text(encoding="utf-8"))
    con.execute(PLACE_SUCCESSOR_MACROS.read_text(encoding="utf-8"))
    return applied


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every base table."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1").fetchall()]
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}  # names from the catalogue


def meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    rows = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    return rows[0][0] if rows else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])


def audit(con: duckdb.DuckDBPyConnection, actor: Any, action: str, detail: str = "",
          upload_id: int | None = None) -> None:
    """Record who did what in the audit log (inside the caller's transaction); actor is a strategy.access.User
    (its email is recorded) or, for a refused sign-in, the email that was refused."""
    con.execute("INSERT INTO audit_log (actor, action, detail, upload_id) VALUES (?, ?, ?, ?)",
                [getattr(actor, "email", actor), action, detail, upload_id])
