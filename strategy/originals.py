"""Uploaded files exactly as received, kept beside the database and named by their SHA-256.

A large original (a 150 MB CSV) written inside the loading transaction would be written twice, to DuckDB's
write-ahead log and again at the checkpoint, which doubled a large import's time. So the upload row keeps the
file's hash and the bytes live in a content-addressed folder ($STRATEGY_ORIGINALS_DIR, else 'originals' beside
the database): written and made durable before the transaction that records them, never changed afterwards,
copied into every backup and back on restore. A file whose upload never committed (a crash between the two) is
harmless: it is not referenced, and the same bytes uploaded again reuse it.

An in-memory database has no folder beside it, so there the bytes stay in the upload row (uploads.original),
as they also do in uploads recorded before this folder existed.
"""

from __future__ import annotations

import hashlib
import os
import re
from pathlib import Path

import duckdb

from strategy import db

HASH = re.compile(r"[0-9a-f]{64}")


class OriginalMissing(Exception):
    """An upload's original file is not where it should be, or its bytes no longer match its hash."""


def database_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file behind a connection; None for an in-memory database."""
    rows = con.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    return Path(rows[0][0]) if rows and rows[0][0] else None


def originals_folder(database: str | os.PathLike) -> Path:
    """Where a database's originals live: $STRATEGY_ORIGINALS_DIR, else an 'originals' folder beside it."""
    configured = os.environ.get("STRATEGY_ORIGINALS_DIR")
    return Path(configured) if configured else db.database_path(database).parent / "originals"


def original_path(folder: Path, sha256: str) -> Path:
    if not HASH.fullmatch(sha256 or ""):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return folder / sha256


def keep_original(con: duckdb.DuckDBPyConnection, data: bytes, sha256: str) -> bytes | None:
    """Make the bytes durable in the originals folder; what the upload row should hold in uploads.original
    (None when the folder holds them; the bytes themselves for an in-memory database).

    Written under a temporary name, flushed to disk and renamed, so a file named by a hash always holds the
    whole file. OSError (a full disk, a file that cannot grow) leaves no partial file behind.
    """
    database = database_file(con)
    if database is None:
        return data
    target = original_path(originals_folder(database), sha256)
    if target.exists() and target.stat().st_size == len(data):
        return None  # the same bytes, kept before (content-addressed: same name, same bytes)
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f"{sha256}.{os.getpid()}.partial")
    try:
        _write_durably(partial, data)
        os.replace(partial, target)
        _fsync_directory(target.parent)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return None


def original_bytes(con: duckdb.DuckDBPyConnection, upload_id: int) -> bytes:
    """The file an upload was made from, exactly as received; OriginalMissing if it cannot be found intact."""
    rows = con.execute("SELECT sha256, original FROM uploads WHERE upload_id = $id", {"id": upload_id}).fetchall()
    if not rows:
        raise OriginalMissing(f"There is no upload {upload_id}.")
    sha256, stored = rows[0]
    if stored is not None:
        return bytes(stored)
    database = database_file(con)
    path = original_path(originals_folder(database), sha256) if database else None
    if path is None or not path.exists():
        raise OriginalMissing(f"The original file of upload {upload_id} is missing (expected {path}). Restore "
                              "the originals folder from a backup.")
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise OriginalMissing(f"The original file of upload {upload_id} ({path}) has been changed since it was "
                              "uploaded. Restore it from a backup.")
    return data


def referenced_hashes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The hashes of every upload whose original is kept in the folder (not in its row)."""
    return [sha for (sha,) in con.execute("SELECT DISTINCT sha256 FROM uploads WHERE original IS NULL AND sha256 "
                                          "IS NOT NULL ORDER BY 1").fetchall() if HASH.fullmatch(sha)]


def _write_durably(path: Path, data: bytes) -> None:
    with path.open("wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


def _fsync_directory(folder: Path) -> None:
    """Make a rename durable (POSIX); skipped where directories cannot be opened (Windows)."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
