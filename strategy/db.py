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

from strategy.names import fill_missing_keys
from strategy.private_files import private_folder

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
    """The database file cannot be opened; the message says what to do. in_use: another program holds it;
    missing: there is no file at all."""

    def __init__(self, message: str, in_use: bool = False, missing: bool = False):
        super().__init__(message)
        self.in_use = in_use
        self.missing = missing


class SettingError(DatabaseUnavailable):
    """A setting in the environment (STRATEGY_MEMORY_LIMIT, STRATEGY_CACHE_ENTRIES) is not understood; the message
    names it and says how to write it. Nothing is opened until it is fixed."""


# The repair for a file that is damaged, in the words every command, the health check and the maintenance page use.
REPAIR = (
    "The file is damaged: stop the dashboard, list the backups with `python -m strategy backups` and restore "
    "the latest with `python -m strategy restore DIR` (the damaged files are moved aside, never deleted)."
)


def missing_database(file: Path) -> DatabaseUnavailable:
    """There is no database file: say how to make one or bring one back, rather than starting an empty one."""
    return DatabaseUnavailable(
        f"There is no database at {file}. If the dashboard has run here before, its file has gone: bring back the "
        "latest backup with `python -m strategy restore DIR` (`python -m strategy backups` lists them). To start a "
        "new one, run `python -m strategy init --demo` (the demonstration data) or `python -m strategy init` (an "
        "empty one); `make run` builds the demonstration database on a machine that has none.",
        missing=True,
    )


# --- Memory: DuckDB's own limit (its default, 80% of the machine, leaves too little for the dashboard itself) -----
MEMORY_LIMIT_SETTING = "STRATEGY_MEMORY_LIMIT"
_MEMORY_SIZE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)\s*$", re.IGNORECASE)
_MEMORY_UNITS = {
    "b": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
}
MINIMUM_MEMORY = 100 * 10**6  # below this DuckDB cannot run the dashboard's queries


def memory_limit() -> str:
    """DuckDB's memory limit for every connection: $STRATEGY_MEMORY_LIMIT (e.g. 2GB, 512MB, 1.5GiB), else half of
    this machine's memory. SettingError, saying how to write it, for anything else."""
    text = os.environ.get(MEMORY_LIMIT_SETTING, "")
    if not text.strip():
        return f"{default_memory_limit_bytes() // 10**6}MB"
    match = _MEMORY_SIZE.match(text)
    if not match or float(match.group(1)) * _MEMORY_UNITS[match.group(2).lower()] < MINIMUM_MEMORY:
        raise SettingError(
            f"{MEMORY_LIMIT_SETTING}={text!r} is not a memory size the dashboard can use: write a number of at least "
            f"100MB with its unit, such as 2GB, 512MB or 1.5GiB, or leave it unset for half of this machine's memory "
            f"({default_memory_limit_bytes() // 10**6:,}MB)."
        )
    return f"{match.group(1)}{match.group(2).upper().replace('I', 'i')}"


def default_memory_limit_bytes() -> int:
    """Half of this machine's physical memory."""
    try:
        return os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") // 2
    except (ValueError, OSError, AttributeError):  # not reported (Windows): DuckDB's usual figure for a laptop
        return 4 * 10**9


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
            'tools for this (docs/operations.md, "Beyond one machine"), or point STRATEGY_DB at a .duckdb file.'
        )
    return Path(location)


# A command the running dashboard carries out for the command line (strategy/command_requests.py) uses the
# dashboard's own connection: connect() in that thread gives a cursor of it, for that database only.
_served = threading.local()


@contextmanager
def served_by(connection, database: str | os.PathLike) -> Iterator[None]:
    """In this thread, connect(database) returns a cursor of connection() instead of opening the file (which this
    process already holds), and migrate() on it does nothing (the dashboard migrated the file when it opened it)."""
    _served.value = (database_location(database), connection)
    try:
        yield
    finally:
        _served.value = None


def _served_cursor(location: str) -> duckdb.DuckDBPyConnection | None:
    served = getattr(_served, "value", None)
    if not served or served[0] != location:
        return None
    _served.value = None  # the dashboard's own first connect() (opening the file) must open it, not recurse here
    try:
        return served[1]().cursor()
    except duckdb.Error as error:
        raise DatabaseUnavailable(
            f"The dashboard's connection to {shown_location(location)} cannot be used: {error}"
        ) from error
    finally:
        _served.value = served


def connect(
    path: str | os.PathLike | None = None, read_only: bool = False, create: bool = False
) -> duckdb.DuckDBPyConnection:
    """An open connection with the memory limit applied, or DatabaseUnavailable saying what to do: the file is
    missing (only `init` creates one: create=True), held by another process, or cannot be opened (damaged). A named
    database (MotherDuck, 'md:NAME') is opened by its name, untouched. Inside served_by(), a cursor of the
    dashboard's connection."""
    location = database_location(path)
    cursor = _served_cursor(location)
    if cursor is not None:
        return cursor
    limit = memory_limit()  # a mistyped setting refuses before anything is opened
    if is_named_database(location):
        try:
            return duckdb.connect(location, read_only=read_only)
        except duckdb.Error as error:
            raise DatabaseUnavailable(
                f"The database {shown_location(location)} could not be opened: "
                f"{str(error).replace(location, shown_location(location))}"
            ) from error
    file = Path(location)
    if not file.exists() and not create:
        raise missing_database(file)
    private_folder(file.parent)
    created = not file.exists()
    try:
        con = duckdb.connect(str(file), read_only=read_only)
        if created and file.exists():
            os.chmod(file, 0o600)  # holds users, the audit log and partners' figures
    except duckdb.IOException as error:
        if "lock" in str(error).lower():
            holder = re.search(r"\(PID (\d+)\)", str(error))
            raise DatabaseUnavailable(
                f"The database {file} is in use by another program"
                f"{f' (process {holder.group(1)})' if holder else ''}, usually the running dashboard; only one "
                "program may have it open. Make this change from the dashboard's own pages (uploads and roll backs "
                "are on its Upload page; `python -m strategy backup DIR` works while it runs), or stop the "
                "dashboard, run this command, and start it again. If another import is running, wait for it to "
                "finish and try again.",
                in_use=True,
            ) from error
        raise DatabaseUnavailable(f"The database {file} could not be opened: {error}. {REPAIR}") from error
    except duckdb.ConnectionException:  # already open in this process with other settings: a mistake in the code
        raise
    except duckdb.Error as error:  # a write-ahead log that cannot be replayed, a damaged header, ...
        raise DatabaseUnavailable(f"The database {file} could not be opened: {error}. {REPAIR}") from error
    try:
        con.execute("SET memory_limit = ?", [limit])
    except duckdb.Error as error:
        con.close()
        raise SettingError(f"{MEMORY_LIMIT_SETTING}={limit!r} was refused by DuckDB: {error}") from error
    return con


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
    """Run a named SQL statement on the given connection itself (a write, or a read inside a transaction that must
    see its writes: `db.execute(cursor, ...)`); its rows."""
    sql = sql_text(name)
    return con.execute(sql, bound_parameters(sql, params)).fetchall()


class WriteConflict(Exception):
    """Someone else changed the same record in the same moment: their change is kept, this one is not."""


CONFLICT_MESSAGE = (
    "Someone else saved a change to the same record at the same moment, and theirs was kept: nothing of yours was "
    "saved. Reload the page to see their change, then make yours again."
)


def _raise_conflict_plainly(problem: BaseException) -> None:
    """DuckDB refuses the second of two transactions that change one row ("Conflict on ..."): say so in words a
    partner understands."""
    if isinstance(problem, duckdb.TransactionException) and "Conflict" in str(problem):
        raise WriteConflict(CONFLICT_MESSAGE) from problem


@contextmanager
def transaction(con: duckdb.DuckDBPyConnection, own_cursor: bool = True) -> Iterator[duckdb.DuckDBPyConnection]:
    """All or nothing, on a cursor of its own: `with db.transaction(con) as cursor:` and every write (and every read
    that must see them) goes through `cursor`. Commits when the block finishes, rolls back if it raises, and always
    closes the cursor. The one write rule: many threads write through the server's one shared connection at once,
    and DuckDB refuses a second call on a connection that is busy, so no write runs on `con` itself.

    own_cursor=False only for a cursor the caller opened for this one write and closes itself (an upload's, whose
    temporary tables, seen by that cursor alone, the write reads): the transaction then runs on it."""
    cursor = con.cursor() if own_cursor else con
    try:
        cursor.execute("BEGIN TRANSACTION")
        try:
            yield cursor
        except BaseException as problem:
            cursor.execute("ROLLBACK")
            _raise_conflict_plainly(problem)
            raise
        try:
            cursor.execute("COMMIT")  # a failed commit has rolled back already
        except duckdb.TransactionException as problem:
            _raise_conflict_plainly(problem)
            raise
    finally:
        if own_cursor:
            cursor.close()


def migration_files() -> list[tuple[int, str, Path]]:
    """(version, name, file) of every migration, in order."""
    found = []
    for file in sorted(MIGRATIONS.glob("*.sql")):
        number, _, name = file.stem.partition("_")
        found.append((int(number), name, file))
    return found


def schema_version(con: duckdb.DuckDBPyConnection) -> int:
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'schema_migrations'"
    ).fetchall()[0][0]
    if not exists:
        return 0
    return con.execute("SELECT coalesce(max(version), 0) FROM schema_migrations").fetchall()[0][0]


def migrate(con: duckdb.DuckDBPyConnection, up_to: int | None = None) -> list[str]:
    """Apply every migration newer than the file's version, each in its own transaction; their names. With up_to,
    only the schema up to that version (no views, no keys filled): restore builds a backup's schema this way."""
    if getattr(_served, "value", None):
        return []  # a command run by the dashboard: its connection was migrated when it was opened
    con.execute("""CREATE TABLE IF NOT EXISTS schema_migrations (
        version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP DEFAULT current_timestamp)""")
    current = schema_version(con)
    applied = []
    for version, name, file in migration_files():
        if version <= current or (up_to is not None and version > up_to):
            continue
        with transaction(con) as cursor:
            cursor.execute(file.read_text(encoding="utf-8"))
            cursor.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", [version, name])
        applied.append(f"{version:03d}_{name}")
    if up_to is not None:
        return applied
    con.execute(REPEATABLE.read_text(encoding="utf-8"))
    con.execute(PLACE_SUCCESSOR_MACROS.read_text(encoding="utf-8"))
    fill_missing_keys(con)  # the one rule for names: rows older than its key columns get their keys
    return applied


def base_table_names(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The name of every base table."""
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' ORDER BY 1"
        ).fetchall()
    ]


def read_every_value(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Read every value of every column of a base table (its name from the catalogue), so that DuckDB reads, and
    checks against its checksum, every block that holds the table's data."""
    con.execute(f'SELECT max(COLUMNS(*)) FROM "{table}"').fetchall()  # name from the catalogue, quoted


def table_counts(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Row count of every base table."""
    tables = base_table_names(con)
    return {t: con.execute(f'SELECT count(*) FROM "{t}"').fetchall()[0][0] for t in tables}  # names from the catalogue


def meta(con: duckdb.DuckDBPyConnection, key: str) -> str | None:
    rows = con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchall()
    return rows[0][0] if rows else None


def set_meta(con: duckdb.DuckDBPyConnection, key: str, value: str) -> None:
    con.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", [key, value])


def audit(
    con: duckdb.DuckDBPyConnection, actor: Any, action: str, detail: str = "", upload_id: int | None = None
) -> None:
    """Record who did what in the audit log (inside the caller's transaction); actor is a strategy.access.User
    (its email is recorded) or, for a refused sign-in, the email that was refused."""
    con.execute(
        "INSERT INTO audit_log (actor, action, detail, upload_id) VALUES (?, ?, ?, ?)",
        [getattr(actor, "email", actor), action, detail, upload_id],
    )
