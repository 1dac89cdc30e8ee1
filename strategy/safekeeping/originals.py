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
import threading
from pathlib import Path

import duckdb

from strategy import db
from strategy.private_files import private_folder
from strategy.safekeeping.scratch_files import name_for_this_process, remove_leftovers

HASH = re.compile(r"[0-9a-f]{64}")


class OriginalMissing(Exception):
    """An upload's original file is not where it should be, or its bytes no longer match its hash."""


def database_file(con: duckdb.DuckDBPyConnection) -> Path | None:
    """The file behind a connection; None for an in-memory database."""
    cursor = con.cursor()  # its own: the server's connection is shared by every thread
    try:
        rows = cursor.execute("SELECT path FROM duckdb_databases() WHERE database_name = current_database()").fetchall()
    finally:
        cursor.close()
    return Path(rows[0][0]) if rows and rows[0][0] else None


def originals_folder(database: str | os.PathLike) -> Path:
    """Where a database's originals live: $STRATEGY_ORIGINALS_DIR, else an 'originals' folder beside it."""
    configured = os.environ.get("STRATEGY_ORIGINALS_DIR")
    if configured:
        return Path(configured)
    return db.database_path(database, needed_for="Keeping uploaded files as received").parent / "originals"


def original_path(folder: Path, sha256: str) -> Path:
    if not HASH.fullmatch(sha256 or ""):
        raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
    return folder / sha256


def keep_original(con: duckdb.DuckDBPyConnection, data: bytes, sha256: str) -> bytes | None:
    """Make the bytes durable in the originals folder; what the upload row should hold in uploads.original
    (None when the folder holds them; the bytes themselves for an in-memory database)."""
    return PendingOriginal(con, data, sha256).keep()


class PendingOriginal:
    """An original being written while the file is checked (with background=True: the write and its flush to
    disk overlap the checking, which is busy in DuckDB), then kept or discarded.

    Written under a temporary name, flushed to disk and renamed by keep(), so a file named by a hash always holds
    the whole file. A failed write (a full disk, a file that cannot grow) raises OSError from keep() and leaves no
    partial file; so does discard(), for a file that is not loaded.
    """

    def __init__(self, con: duckdb.DuckDBPyConnection, data: bytes, sha256: str, background: bool = False):
        database = database_file(con)
        self.in_row = data if database is None else None
        self.target = original_path(originals_folder(database), sha256) if database else None
        self.partial: Path | None = None
        self._failed: BaseException | None = None
        self._writer: threading.Thread | None = None
        if self.target is None or (self.target.exists() and self.target.stat().st_size == len(data)):
            return  # nothing to write: kept in the row, or the same bytes kept before (same name, same bytes)
        if background:
            self._writer = threading.Thread(target=self._write, args=(data,), name="keep-original", daemon=True)
            self._writer.start()
        else:
            self._write(data)

    def _write(self, data: bytes) -> None:
        try:
            private_folder(self.target.parent)
            remove_leftovers(self.target.parent, "*.partial")  # from writes that were killed
            self.partial = _partial_name(self.target)
            _write_durably(self.partial, data)
        except BaseException as failed:  # raised again by keep(), in the importing thread
            self._failed = failed
            self._remove_partial()

    def keep(self) -> bytes | None:
        """Put the file in place (durably) and return what uploads.original should hold."""
        self._wait()
        if self._failed is not None:
            raise self._failed
        if self.partial is not None:
            try:
                os.replace(self.partial, self.target)
                _fsync_directory(self.target.parent)
            except BaseException:
                self._remove_partial()
                raise
            self.partial = None
        return self.in_row

    def discard(self) -> None:
        """Remove what was written for a file that is not being loaded (a no-op once kept)."""
        self._wait()
        self._remove_partial()

    def _wait(self) -> None:
        if self._writer is not None:
            self._writer.join()
            self._writer = None

    def _remove_partial(self) -> None:
        if self.partial is not None:
            self.partial.unlink(missing_ok=True)
            self.partial = None


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
        raise OriginalMissing(
            f"The original file of upload {upload_id} is missing (expected {path}). Restore "
            "the originals folder from a backup."
        )
    data = path.read_bytes()
    if hashlib.sha256(data).hexdigest() != sha256:
        raise OriginalMissing(
            f"The original file of upload {upload_id} ({path}) has been changed since it was "
            "uploaded. Restore it from a backup."
        )
    return data


def copy_if_intact(source: Path, target: Path) -> bool:
    """Copy an original (named by its SHA-256) to target, checking its bytes against its name on the way: written
    under a temporary name and renamed, so target is whole or absent. False, copying nothing, if the bytes no
    longer match the name. Always a copy, never a link: a backup must not share the file it protects."""
    partial = _partial_name(target)
    digest = hashlib.sha256()
    try:
        with source.open("rb") as reading, _new_private_file(partial, exclusive=False) as writing:
            for block in iter(lambda: reading.read(1 << 20), b""):
                digest.update(block)
                writing.write(block)
            writing.flush()
            os.fsync(writing.fileno())
        if digest.hexdigest() != source.name:
            partial.unlink()
            return False
        os.replace(partial, target)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return True


def is_intact(path: Path) -> bool:
    """Whether an original's bytes still match the hash it is named by."""
    digest = hashlib.sha256()
    with path.open("rb") as reading:
        for block in iter(lambda: reading.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest() == path.name


def referenced_hashes(con: duckdb.DuckDBPyConnection) -> list[str]:
    """The hashes of every upload whose original is kept in the folder (not in its row)."""
    return [
        sha
        for (sha,) in con.execute(
            "SELECT DISTINCT sha256 FROM uploads WHERE original IS NULL AND sha256 IS NOT NULL ORDER BY 1"
        ).fetchall()
        if HASH.fullmatch(sha)
    ]


def _partial_name(target: Path) -> Path:
    return target.with_name(name_for_this_process(target.name, ".partial"))


def _new_private_file(path: Path, exclusive: bool = True):
    """A new file open for writing, readable by this account only (0600): partners' files as received."""
    flags = os.O_WRONLY | os.O_CREAT | (os.O_EXCL if exclusive else os.O_TRUNC) | getattr(os, "O_BINARY", 0)
    return os.fdopen(os.open(path, flags, 0o600), "wb")


def _write_durably(path: Path, data: bytes) -> None:
    with _new_private_file(path) as stream:  # a new file, this account's only
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
