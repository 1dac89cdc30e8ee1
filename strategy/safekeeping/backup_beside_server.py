"""How `python -m strategy backup DIR` gets a backup while the dashboard holds the database file.

Another process cannot open a DuckDB file the dashboard has open, so the command line leaves a request file in a
folder beside the database; the dashboard (serve.py starts the watcher) writes the backup with its own connection
and leaves an answer file. Nothing is reachable over the network. A request names who is asking (--as EMAIL, or
nobody in local mode) and the dashboard makes the same check as for a backup from the command line
(strategy.safekeeping.backup.backup_as): admins only, the local user in local mode; refusals and backups are audited.
"""

from __future__ import annotations

import json
import logging
import os
import threading
import time
import uuid
from pathlib import Path
from typing import Callable

import duckdb

from strategy import db
from strategy.safekeeping import backup

log = logging.getLogger(__name__)
POLL_SECONDS = 1.0


def requests_folder(database: str | os.PathLike | None = None) -> Path:
    file = db.database_path(database, needed_for="Asking the running dashboard for a backup")
    return file.with_name(f".{file.name}.requests")


def ask_dashboard_for_backup(
    directory: Path, database: str | os.PathLike | None = None, timeout: float = 300.0, acting_email: str | None = None
) -> dict:
    """Leave a request and wait for the dashboard's answer: {"ok", "message", "manifest"?}."""
    folder = requests_folder(database)
    folder.mkdir(parents=True, exist_ok=True)
    name = uuid.uuid4().hex
    request, answer = folder / f"{name}.request.json", folder / f"{name}.answer.json"
    partial = folder / f"{name}.tmp"
    partial.write_text(
        json.dumps({"action": "backup", "directory": str(Path(directory).resolve()), "as": acting_email})
    )
    partial.rename(request)  # whole requests only
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if answer.exists():
            reply = json.loads(answer.read_text(encoding="utf-8"))
            answer.unlink(missing_ok=True)
            return reply
        time.sleep(0.2)
    request.unlink(missing_ok=True)
    return {
        "ok": False,
        "message": f"The dashboard did not answer within {timeout:.0f} s. Check it is running "
        "(started with `streamlit run serve.py`, see the Operations section of the "
        "README), or stop it and run the backup again.",
    }


def answer_requests(
    connection: Callable[[], duckdb.DuckDBPyConnection],
    database: str | os.PathLike,
    after_write: Callable[[], None] | None = None,
) -> int:
    """Carry out every waiting request with the dashboard's connection, oldest first; how many were answered.
    A request being carried out is renamed NAME.running.json, so the command line knows it was taken up."""
    folder = requests_folder(database)
    answered = 0
    waiting = sorted(folder.glob("*.request.json"), key=_age) if folder.exists() else []
    for request in waiting:
        answer = request.with_name(request.name.replace(".request.json", ".answer.json"))
        running = request.with_name(request.name.replace(".request.json", ".running.json"))
        try:
            request.rename(running)
        except OSError:  # withdrawn by the command line that left it
            continue
        request = running
        try:
            wanted = json.loads(request.read_text(encoding="utf-8"))
            if wanted.get("action") == "command":
                from strategy import command_requests

                reply = command_requests.run_request(wanted, connection, database, after_write)
                _write_answer(answer, reply)
                request.unlink(missing_ok=True)
                answered += 1
                continue
            if wanted.get("action") != "backup":
                raise ValueError(
                    f"the dashboard answers backup requests and commands only, not {wanted.get('action')!r}"
                )
            # who asks is checked and audited exactly as on the command line (a request naming nobody is the local
            # user in local mode, and refused when sign-in is on)
            manifest = backup.backup_as(connection(), wanted.get("as"), Path(wanted["directory"]), reason="requested")
            reply = {
                "ok": True,
                "message": f"Backup written to {wanted['directory']} by the running dashboard.",
                "manifest": manifest,
            }
        except Exception as error:  # every failure is an answer, never a dead watcher
            reply = {"ok": False, "message": str(error)}
        _write_answer(answer, reply)
        request.unlink(missing_ok=True)
        answered += 1
    return answered


def _age(request: Path) -> float:
    try:
        return request.stat().st_mtime
    except OSError:
        return 0.0


def _write_answer(answer: Path, reply: dict) -> None:
    partial = answer.with_suffix(".tmp")
    partial.write_text(json.dumps(reply, default=str), encoding="utf-8")
    partial.rename(answer)  # whole answers only


_started: set[str] = set()
_lock = threading.Lock()


def start_watcher(
    connection: Callable[[], duckdb.DuckDBPyConnection],
    database: str | os.PathLike,
    after_write: Callable[[], None] | None = None,
) -> None:
    """Answer requests (backups, and commands handed over by the command line) in a background thread for as
    long as the process runs (once per database), and keep the heartbeat that tells the command line the dashboard
    is there. after_write is called after a command that may have changed data. A named database (MotherDuck) has
    no folder to watch and its backups are refused, so there is no watcher."""
    if db.is_named_database(db.database_location(database)):
        log.info("%s is not a file: no backup requests to answer", db.shown_location(db.database_location(database)))
        return
    key = str(db.database_path(database))
    with _lock:
        if key in _started:
            return
        _started.add(key)

    def watch() -> None:
        while True:
            try:
                answer_requests(connection, key, after_write)
            except Exception:
                log.exception("backup request watcher")
            time.sleep(POLL_SECONDS)

    threading.Thread(target=watch, name="backup-requests", daemon=True).start()
    from strategy import command_requests

    command_requests.keep_heartbeat(key)
