"""Backups a person can check and restore: a folder of Parquet files, copies of the uploads' original files, the
schema, and a manifest of row counts and content hashes, written from one consistent snapshot; restore rebuilds a
database from it and proves it matches (strategy/safekeeping/restore.py).

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
import shutil
from datetime import datetime, timedelta, timezone
from pathlib import Path

import duckdb

from strategy import db
from strategy.access import PermissionDenied, User, normalised_email, require
from strategy.private_files import private_folder
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
        private_folder(partial.parent)
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
