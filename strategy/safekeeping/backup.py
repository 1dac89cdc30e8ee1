"""Backups a person can check and restore: a folder of Parquet files, copies of the uploads' original files, the
schema, and a manifest of row counts and content hashes, written from one consistent snapshot; restore rebuilds a
database from it and proves it matches.

A backup copies everything (users, audit log, partners' files) and a restore replaces everything, so both are an
admin's (in local mode, the local user's) and pass the same access check as every other action: backup_as and
may_back_up, which audit refusals as well as backups. Restore never runs SQL from the backup folder: it builds the
schema from this code's own migrations in a scratch file, loads only the data (Parquet) into it, and checks it there.

The running dashboard holds the database file, so it is the dashboard that writes backups while it runs
(see strategy/safekeeping/backup_beside_server.py for how the command line asks it to); every import and roll
back is preceded by an automatic backup kept for STRATEGY_BACKUP_KEEP_DAYS days.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb

from strategy import db
from strategy.access import PermissionDenied, User, normalised_email, require
from strategy.safekeeping import originals
from strategy.users import acting_user

FORMAT = "making-our-move-backup/1"
MANIFEST = "manifest.json"
SCHEMA = "schema.sql"
AUTOMATIC = "automatic"
ORIGINALS = "originals"  # the uploads' original files (strategy/safekeeping/originals.py), by hash
DEFAULT_KEEP_DAYS = 30


class BackupFailed(Exception):
    """A backup could not be written or restored; the message says what to do."""


@dataclass
class RestoreReport:
    ok: bool
    message: str
    database: Path | None = None
    previous_copy: Path | None = None
    problems: list[str] = field(default_factory=list)
    set_aside: Path | None = None  # the dated folder holding the files the restore replaced


def backup_root(database: str | os.PathLike | None = None) -> Path:
    """Where backups go: $STRATEGY_BACKUP_DIR, else a 'backups' folder beside the database file."""
    configured = os.environ.get("STRATEGY_BACKUP_DIR")
    return Path(configured) if configured else db.database_path(database, needed_for="Backups").parent / "backups"


def keep_days() -> int:
    """How many days automatic backups are kept ($STRATEGY_BACKUP_KEEP_DAYS, default 30)."""
    text = os.environ.get("STRATEGY_BACKUP_KEEP_DAYS", "")
    return int(text) if text.strip().isdigit() else DEFAULT_KEEP_DAYS


def base_tables(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0]
        for r in con.execute(
            "SELECT table_name FROM information_schema.tables WHERE table_type = "
            "'BASE TABLE' AND table_schema = 'main' ORDER BY 1"
        ).fetchall()
    ]


def table_fingerprints(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    """{table: {rows, content_md5}}: the md5 of every row's text, sorted, hashed again, so row order does not
    matter and any changed, missing or extra row does."""
    found = {}
    for table in base_tables(con):  # names from the catalogue, quoted
        rows, digest = con.execute(
            f"SELECT count(*), md5(coalesce(string_agg(h, '' ORDER BY h), '')) "
            f'FROM (SELECT md5(CAST(r AS VARCHAR)) AS h FROM "{table}" AS r)'
        ).fetchall()[0]
        found[table] = {"rows": rows, "content_md5": digest}
    return found


def sequence_positions(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """{sequence: the value its next nextval() will give}, so restored ids carry on where they stopped."""
    return {
        name: int(value)
        for name, value in con.execute(
            "SELECT sequence_name, coalesce(last_value + increment_by, start_value) FROM duckdb_sequences() "
            "WHERE schema_name = 'main' ORDER BY 1"
        ).fetchall()
    }


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def write_backup(con: duckdb.DuckDBPyConnection, directory: str | os.PathLike, reason: str = "manual") -> dict:
    """Write the whole database to an empty or new folder from one snapshot; the manifest written.

    The folder is filled under a temporary name and renamed when complete, so a folder named like a backup is
    always a whole one.
    """
    target = Path(directory)
    _database_file(con)  # a named (MotherDuck) database is refused here, before anything is written
    if target.exists() and any(target.iterdir()):
        raise BackupFailed(f"{target} already holds files; give a new or empty folder for the backup.")
    partial = target.with_name(target.name + ".partial")
    shutil.rmtree(partial, ignore_errors=True)
    cursor = con.cursor()
    try:
        db.private_folder(partial.parent)
        checkpointed = _checkpoint(cursor)
        cursor.execute("BEGIN TRANSACTION")  # the counts, hashes and files all come from this one snapshot
        try:
            tables = table_fingerprints(cursor)
            sequences = sequence_positions(cursor)
            version = db.schema_version(cursor)
            cursor.execute(f"EXPORT DATABASE '{_sql_path(partial)}' (FORMAT parquet)")
            hashes = originals.referenced_hashes(cursor)
        finally:
            cursor.execute("ROLLBACK")
        missing, damaged = _copy_originals(_database_file(cursor), hashes, partial / ORIGINALS)
        files = {
            p.relative_to(partial).as_posix(): file_sha256(p)
            for p in sorted(partial.rglob("*"))
            if p.is_file() and p.name != "load.sql"
        }
        (partial / "load.sql").unlink(missing_ok=True)  # it names absolute paths; restore reads the manifest instead
        manifest = {
            "format": FORMAT,
            "created_at": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "reason": reason,
            "database": str(_database_file(cursor)),
            "schema_version": version,
            "duckdb_version": duckdb.__version__,
            "checkpointed_first": checkpointed,
            "tables": tables,
            "sequences": sequences,
            "files": files,
            "originals_missing": missing,
            "originals_damaged": damaged,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, indent=2), encoding="utf-8")
        _make_private(partial)
        _fsync_folder(partial)
        if target.exists():
            target.rmdir()
        partial.rename(target)
        return manifest
    except (duckdb.Error, OSError) as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise BackupFailed(
            f"The backup to {target} could not be written: {error}. Nothing was changed; check "
            "there is free space and the folder is writable, then try again."
        ) from error
    finally:
        cursor.close()


def may_back_up(con: duckdb.DuckDBPyConnection, acting: str | User | None, what: str) -> User:
    """The user named by acting (an email, a User, or None for nobody named) if they may back up or restore;
    otherwise PermissionDenied, after the refusal is written to the audit log of con's database."""
    try:
        actor = acting if isinstance(acting, User) else acting_user(con, acting)
        return require(actor, "backup")
    except PermissionDenied as refusal:
        who = acting.email if isinstance(acting, User) else normalised_email(acting) or "(nobody named)"
        db.audit(con, who, "backup refused", f"{what}: {refusal}")
        raise


def backup_as(
    con: duckdb.DuckDBPyConnection, acting: str | User | None, directory: str | os.PathLike, reason: str = "manual"
) -> dict:
    """A backup on someone's behalf (the command line, a request to the running dashboard): refused and audited
    unless they may back up; audited when written. The manifest written."""
    actor = may_back_up(con, acting, f"backup to {directory}")
    manifest = write_backup(con, directory, reason=reason)
    db.audit(con, actor, "backup", f"to {directory}")
    return manifest


def _make_private(folder: Path) -> None:
    """A backup holds users, the audit log and every partner's figures: readable by this account only."""
    os.chmod(folder, 0o700)
    for path in folder.rglob("*"):
        os.chmod(path, 0o700 if path.is_dir() else 0o600)


def _copy_originals(database: Path, hashes: list[str], into: Path) -> tuple[list[str], list[str]]:
    """Copy the uploads' original files into the backup, each checked against its name; (missing, damaged): the
    hashes of originals already gone or changed, which the manifest names rather than failing every import."""
    source = originals.originals_folder(database)
    missing, damaged = [], []
    for sha256 in hashes:
        kept = originals.original_path(source, sha256)
        if not kept.exists():
            missing.append(sha256)
            continue
        into.mkdir(exist_ok=True)
        if not originals.copy_if_intact(kept, into / sha256):
            damaged.append(sha256)
    return missing, damaged


def automatic_backup(con: duckdb.DuckDBPyConnection, reason: str) -> Path:
    """A backup into the automatic folder before a change (an import, a roll back), pruning old ones; its path."""
    root = backup_root(_database_file(con)) / AUTOMATIC
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S%fZ")
    folder = root / f"{stamp}-{_slug(reason)}"
    write_backup(con, folder, reason=reason)
    prune_automatic(root, keep_days())
    return folder


def prune_automatic(root: Path, days: int, now: datetime | None = None) -> list[Path]:
    """Delete automatic backups older than days (always keeping the newest); the folders removed."""
    now = now or datetime.now(timezone.utc)
    folders = sorted(p for p in root.glob("*") if p.is_dir() and (p / MANIFEST).exists())
    removed = []
    for folder in folders[:-1]:
        created = datetime.fromisoformat(json.loads((folder / MANIFEST).read_text())["created_at"])
        if now - created > timedelta(days=days):
            shutil.rmtree(folder)
            removed.append(folder)
    return removed


def list_backups(root: Path) -> list[dict]:
    """Every backup under root (manual and automatic), newest first: folder, created_at, reason, rows."""
    found = []
    for manifest_file in root.rglob(MANIFEST):
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
        found.append(
            {
                "folder": str(manifest_file.parent),
                "created_at": manifest["created_at"],
                "reason": manifest["reason"],
                "activities": manifest["tables"].get("activities", {}).get("rows"),
            }
        )
    return sorted(found, key=lambda b: b["created_at"], reverse=True)


def verify_files(directory: Path) -> tuple[dict | None, list[str]]:
    """(manifest, problems): a missing manifest or a file whose bytes do not match it is a problem. An uploaded
    original that does not match is not: restore puts back the tables and every intact original, and says which
    were not (see restore_backup)."""
    manifest_file = directory / MANIFEST
    if not manifest_file.exists():
        return None, [f"{directory} has no {MANIFEST}: it is not a backup made by `python -m strategy backup`."]
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (ValueError, OSError) as error:
        return None, [f"{manifest_file} cannot be read ({error}); the backup is damaged or altered."]
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        found = manifest.get("format") if isinstance(manifest, dict) else None
        return None, [f"{manifest_file} is format {found!r}; this version reads {FORMAT!r}."]
    if not isinstance(manifest.get("files"), dict) or not isinstance(manifest.get("tables"), dict):
        return None, [f"{manifest_file} lacks its list of files or tables; the backup is damaged or altered."]
    problems = [
        f"The manifest names {name!r}, which is not a file a backup writes; the backup has been altered."
        for name in manifest.get("files", {})
        if not _backup_file_name(name)
    ]
    problems += _schema_problems(directory / SCHEMA)
    if problems:
        return manifest, problems
    for name, expected in manifest["files"].items():
        if name.startswith(f"{ORIGINALS}/"):
            continue
        path = directory / name
        if not path.exists():
            problems.append(f"{name} is missing from the backup.")
        elif file_sha256(path) != expected:
            problems.append(f"{name} has changed since the backup was made (its checksum differs).")
    return manifest, problems


def restore_backup(directory: str | os.PathLike, database: str | os.PathLike | None = None) -> RestoreReport:
    """Rebuild the database from a backup folder, prove every table matches the manifest, then swap it in; the
    database it replaces is kept beside it (never deleted). Refused, changing nothing, if anything does not match."""
    folder, target = Path(directory), db.database_path(database, needed_for="A restore")
    manifest, problems = verify_files(folder)
    if problems:
        return RestoreReport(False, "The backup cannot be trusted, so nothing was restored.", problems=problems)
    held = held_by_another_program(target)
    if held:
        return RestoreReport(
            False, f"{held} A restore replaces the whole file, so the dashboard must be stopped while it runs."
        )
    building = target.with_name(target.name + ".restoring")
    _remove_database_file(building)
    version, latest = manifest.get("schema_version"), max(v for v, _, _ in db.migration_files())
    if not isinstance(version, int) or not 0 < version <= latest:
        return RestoreReport(
            False,
            f"The backup is of schema version {version!r} and this version of the dashboard "
            f"knows versions up to {latest}; nothing was restored. Restore it with the "
            "version of the dashboard that made it (or a newer one).",
        )
    try:
        con = duckdb.connect(str(building))
        try:
            found, sequences, problems = _load_into_scratch(con, folder, manifest, version)
            if not problems:
                db.migrate(con)  # then any migrations newer than the backup, as an upgrade would
            con.execute("CHECKPOINT")
        finally:
            con.close()
    except (duckdb.Error, OSError) as error:
        _remove_database_file(building)
        return RestoreReport(False, f"The backup could not be loaded ({error}); nothing was restored.")
    if problems:
        _remove_database_file(building)
        return RestoreReport(
            False, "The backup's tables do not match its schema version; nothing was restored.", problems=problems
        )
    problems = [
        f"{table}: expected {want['rows']:,} rows ({want['content_md5']}), restored "
        f"{found.get(table, {}).get('rows', 0):,} ({found.get(table, {}).get('content_md5')})"
        for table, want in manifest["tables"].items()
        if found.get(table) != want
    ]
    problems += [
        f"sequence {name}: expected next value {want}, restored {sequences.get(name)}"
        for name, want in manifest.get("sequences", {}).items()
        if sequences.get(name) != want
    ]
    if problems:
        _remove_database_file(building)
        return RestoreReport(
            False, "The restored tables do not match the backup's manifest; nothing was restored.", problems=problems
        )
    try:
        aside = set_aside(target)
    except OSError as error:
        _remove_database_file(building)
        return RestoreReport(False, f"The database files could not be moved aside ({error}); nothing was restored.")
    kept = aside / target.name if aside and (aside / target.name).exists() else None
    building.rename(target)
    not_restored = _restore_originals(folder, manifest, originals.originals_folder(target))
    total = sum(t["rows"] for t in manifest["tables"].values())
    return RestoreReport(
        True,
        f"Restored {len(manifest['tables'])} tables ({total:,} rows) from the backup of "
        f"{manifest['created_at']} into {target}; every table's row count and content hash "
        "matches the manifest."
        + (f" The files it replaced are kept, unchanged, in {aside}." if aside else "")
        + (
            f" {len(not_restored)} uploaded original file(s) could not be put back (see problems)."
            if not_restored
            else ""
        ),
        database=target,
        previous_copy=kept,
        problems=not_restored,
        set_aside=aside,
    )


# --- Restoring over damage: who holds the file, and moving the damaged files aside ---------------------------------

SET_ASIDE_PREFIX = "damaged-before-restore-"


def held_by_another_program(target: Path) -> str | None:
    """Why the database cannot be replaced now (another program, usually the dashboard, holds it), or None.

    The file is opened read-only, which writes nothing to it: DuckDB refuses even a read-only opener while another
    process has the file. Any other failure to open (a write-ahead log that cannot be replayed, a damaged header)
    is damage, which is what a restore is for, and a missing file is nothing to hold."""
    if not target.exists():
        return None
    try:
        db.connect(target, read_only=True).close()
    except db.DatabaseUnavailable as problem:
        return str(problem) if problem.in_use else None
    except duckdb.Error:
        return None
    return None


def set_aside(target: Path, now: datetime | None = None) -> Path | None:
    """Move the database file and its write-ahead log (whichever exist) into a new dated folder beside them,
    keeping their names, so a restore starts clean and the damaged files are kept for whoever investigates —
    never deleted. The folder, or None when there was nothing to move. A write-ahead log left without its file is
    moved too: DuckDB would otherwise try to replay it into the restored database."""
    files = [path for path in (target, Path(f"{target}.wal")) if path.exists()]
    if not files:
        return None
    stamp = (now or datetime.now()).strftime("%Y%m%d-%H%M%S")
    folder = target.with_name(f"{SET_ASIDE_PREFIX}{stamp}")
    suffix = 1
    while folder.exists():  # two restores in one second
        suffix += 1
        folder = target.with_name(f"{SET_ASIDE_PREFIX}{stamp}-{suffix}")
    folder.mkdir()
    for path in files:
        path.rename(folder / path.name)
    return folder


def _restore_originals(backup: Path, manifest: dict, folder: Path) -> list[str]:
    """Put back every original the manifest lists whose live copy is missing or damaged, from the backup's intact
    copy; what could not be put back (damaged in the backup too, or not writable), one line each."""
    problems = []
    for name in manifest["files"]:
        if not name.startswith(f"{ORIGINALS}/"):
            continue
        sha256 = name.split("/", 1)[1]
        live = originals.original_path(folder, sha256)
        try:
            if live.exists() and originals.is_intact(live):
                continue
            folder.mkdir(parents=True, exist_ok=True)
            if not originals.copy_if_intact(backup / name, live):
                problems.append(f"The uploaded file {sha256} is damaged in the backup as well; it was not put back.")
        except OSError as error:
            problems.append(f"The uploaded file {sha256} could not be put back: {error}")
    problems += [
        f"The uploaded file {sha256} was already {state} when the backup was made."
        for state, key in (("missing", "originals_missing"), ("damaged", "originals_damaged"))
        for sha256 in manifest.get(key, [])
    ]
    return problems


def _load_into_scratch(
    con: duckdb.DuckDBPyConnection, folder: Path, manifest: dict, version: int
) -> tuple[dict, dict, list[str]]:
    """Build the schema of the backup's version from this code's own migrations (never from the folder's SQL), load
    each table's Parquet file into it by column name, and set the sequences; (fingerprints, sequences, problems)."""
    db.migrate(con, up_to=version)
    tables = base_tables(con)
    problems = [
        f"The backup has no table {table} (schema version {version} has it)."
        for table in tables
        if table not in manifest["tables"]
    ]
    problems += [
        f"The backup names a table {table!r} that schema version {version} does not have."
        for table in manifest["tables"]
        if table not in tables
    ]
    if problems:
        return {}, {}, problems
    con.execute("BEGIN TRANSACTION")
    for table in tables:  # names from the catalogue, quoted; the files are the backup's data, never its SQL
        con.execute(f'DELETE FROM "{table}"')  # rows the migrations themselves wrote
        con.execute(f'INSERT INTO "{table}" BY NAME SELECT * FROM read_parquet(?)', [str(folder / f"{table}.parquet")])
    current = sequence_positions(con)
    for name, wanted in manifest.get("sequences", {}).items():
        if name in current and isinstance(wanted, int) and wanted > current[name]:
            con.execute("SELECT max(nextval(?)) FROM range(?)", [name, wanted - current[name]])
    con.execute("COMMIT")
    return table_fingerprints(con), sequence_positions(con), []


# What a backup's schema.sql holds (DuckDB's EXPORT DATABASE): definitions only. Restore does not run it, but a
# file holding anything else (COPY, ATTACH, INSTALL, ...) was not written by a backup, so the backup is refused.
_DEFINITION = re.compile(
    r"CREATE\s+(OR\s+REPLACE\s+)?(UNIQUE\s+)?(TABLE|SEQUENCE|VIEW|MACRO|FUNCTION|INDEX|TYPE|"
    r"SCHEMA)\b",
    re.IGNORECASE,
)


def _schema_problems(schema_file: Path) -> list[str]:
    if not schema_file.exists():
        return []  # verify_files reports a missing file against the manifest
    foreign = [
        s.strip()
        for s in schema_file.read_text(encoding="utf-8", errors="replace").split(";\n")
        if s.strip() and not _DEFINITION.match(s.strip())
    ]
    return [
        f"{SCHEMA} holds a statement no backup writes ({statement[:80]!r}); the backup has been altered, so "
        "it cannot be trusted."
        for statement in foreign
    ]


def _backup_file_name(name: str) -> bool:
    """Whether a manifest's file name is one a backup writes: a Parquet or schema file at the top of the folder, or
    an original named by its hash."""
    if name.startswith(f"{ORIGINALS}/"):
        return bool(originals.HASH.fullmatch(name[len(ORIGINALS) + 1 :]))
    return "/" not in name and "\\" not in name and name not in ("", ".", "..") and not name.startswith(".")


def _remove_database_file(path: Path) -> None:
    for leftover in (path, Path(f"{path}.wal")):
        leftover.unlink(missing_ok=True)


def _checkpoint(cursor: duckdb.DuckDBPyConnection) -> bool:
    """Fold the write-ahead log into the file first when no other transaction is running (best effort)."""
    try:
        cursor.execute("CHECKPOINT")
        return True
    except duckdb.Error:
        return False


def _database_file(con: duckdb.DuckDBPyConnection) -> Path:
    return db.database_path(originals.database_file(con) or None, needed_for="A backup")


def _sql_path(path: Path) -> str:
    """A folder path as a SQL string literal's contents (EXPORT takes no bound parameter)."""
    return str(path.resolve()).replace("'", "''")


def _slug(text: str) -> str:
    return "".join(c if c.isalnum() else "-" for c in text.lower()).strip("-")[:40] or "backup"


def _fsync_folder(folder: Path) -> None:
    for path in folder.rglob("*"):
        if not path.is_file():
            continue
        with path.open("rb") as stream:
            os.fsync(stream.fileno())
