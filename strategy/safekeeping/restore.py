"""Restoring a backup (strategy/safekeeping/backup.py): its files checked against the manifest, the schema built from
this code's own migrations in a scratch file, only the data (Parquet) loaded into it and proved to match, and
the database and the originals replaced, the old ones set aside."""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import duckdb

from strategy import db
from strategy.safekeeping import originals
from strategy.safekeeping.backup import (
    FORMAT,
    MANIFEST,
    ORIGINALS,
    SCHEMA,
    base_tables,
    file_sha256,
    sequence_positions,
    table_fingerprints,
)


@dataclass
class RestoreReport:
    ok: bool
    message: str
    database: Path | None = None
    previous_copy: Path | None = None
    problems: list[str] = field(default_factory=list)
    set_aside: Path | None = None  # the dated folder holding the files the restore replaced


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
