"""How the command line works while the dashboard runs.

DuckDB lets one process open a database file for writing, and a read-only connection cannot open a file another
process holds either. So while the dashboard runs (serve.py), a command that uses the database is handed to it:
the command line leaves a request in the folder beside the database that `backup` already uses (see
backup_requests.py), the dashboard runs the very same command function with its own connection, one request at a
time, and leaves an answer with the exit status and what the command printed. Role checks (`--as`), refusals and
audit rows are the command's own, so they are the same with or without a dashboard.

The dashboard shows it is there by touching a heartbeat file in that folder every second. The command line hands
a command over only while the heartbeat is fresh, and stops waiting, with a plain message, when the heartbeat goes
stale (the dashboard stopped) or after STRATEGY_COMMAND_TIMEOUT seconds (default 600).
"""

from __future__ import annotations

import io
import json
import os
import sys
import threading
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator

# Commands that use the database and may run inside the dashboard. Not handed over: init and restore (they
# replace the file: stop the dashboard first), backup (it has its own request), backups (it reads no database).
HANDED_OVER = {
    "heatmap",
    "export",
    "indicators",
    "import",
    "uploads",
    "rollback",
    "users",
    "partners",
    "audit",
    "board-pack",
    "health",
}
# Of those, the ones that change nothing the dashboard's cached answers depend on.
READ_ONLY_ACTIONS = {"heatmap", "indicators", "uploads", "health", "users list", "partners list", "audit list"}
# Arguments that name files: made absolute against the folder the command was typed in.
PATH_ARGUMENTS = ("file", "directory", "template")

HEARTBEAT = "dashboard.heartbeat"
HEARTBEAT_SECONDS = 1.0
STALE_SECONDS = 15.0  # a heartbeat older than this means the dashboard is not running: commands run on their own
GIVE_UP_SECONDS = 60.0  # a command waiting for its answer stops waiting when the heartbeat is this old (a busy
# server may be slow to touch it; a stopped one never will)
TIMEOUT_SETTING = "STRATEGY_COMMAND_TIMEOUT"
DEFAULT_TIMEOUT = 600.0


def requests_folder(database: str | os.PathLike | None = None) -> Path:
    from strategy.safekeeping import backup_beside_server as backup_requests

    return backup_requests.requests_folder(database)


def command_name(args) -> str:
    """'users list', 'heatmap', ...: the command and, for groups, its action."""
    action = getattr(args, "action", None)
    return f"{args.command} {action}" if action else str(args.command)


# --- the command line's side -----------------------------------------------------------------------------------


def dashboard_running(database: str | os.PathLike | None = None, within: float = STALE_SECONDS) -> bool:
    """Whether a dashboard answering requests for this database file has touched its heartbeat in the last
    `within` seconds."""
    from strategy import db

    if db.is_named_database(db.database_location(database)):
        return False  # a MotherDuck database is shared by design: every process opens it itself
    try:
        beat = requests_folder(database) / HEARTBEAT
        return time.time() - beat.stat().st_mtime < within
    except OSError:
        return False


def should_hand_over(args) -> bool:
    from strategy.commands.common import database_argument

    if args.command not in HANDED_OVER or (args.command == "health" and getattr(args, "url", None)):
        return False
    return dashboard_running(database_argument(args))


def command_timeout() -> float:
    text = os.environ.get(TIMEOUT_SETTING, "").strip()
    if not text:
        return DEFAULT_TIMEOUT
    try:
        seconds = float(text)
        if seconds > 0:
            return seconds
    except ValueError:
        pass
    raise ValueError(
        f"{TIMEOUT_SETTING}={text!r} is not a number of seconds: write a number above 0, such as 600, "
        f"or leave it unset for {DEFAULT_TIMEOUT:.0f} seconds."
    )


def hand_over(argv: list[str], args, timeout: float | None = None) -> int:
    """Ask the running dashboard to run this command, wait for its answer, print what the command printed and
    return its exit status. Never waits longer than the timeout; says plainly what happened when it gives up."""
    from strategy import access
    from strategy.commands.common import database_argument, fail

    try:
        timeout = command_timeout() if timeout is None else timeout
    except ValueError as problem:
        return fail(str(problem), 2)
    database = database_argument(args)
    folder = requests_folder(database)
    name = uuid.uuid4().hex
    request, running = folder / f"{name}.request.json", folder / f"{name}.running.json"
    answer, partial = folder / f"{name}.answer.json", folder / f"{name}.tmp"
    wanted = {"action": "command", "argv": list(argv), "cwd": os.getcwd(), "mode": access.dashboard_mode()}
    print(f"The dashboard has the database open; it is running `{command_name(args)}` ...", file=sys.stderr)
    partial.write_text(json.dumps(wanted), encoding="utf-8")
    partial.rename(request)  # whole requests only
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if answer.exists():
            reply = json.loads(answer.read_text(encoding="utf-8"))
            answer.unlink(missing_ok=True)
            sys.stdout.write(reply.get("stdout", ""))
            sys.stderr.write(reply.get("stderr", ""))
            return int(reply.get("status", 1))
        if not dashboard_running(database, within=GIVE_UP_SECONDS):
            break
        time.sleep(0.1)
    if request.exists():  # never picked up: take it back, so it cannot run later by surprise
        request.unlink(missing_ok=True)
        return fail(
            f"The dashboard did not take up `{command_name(args)}` (it was not answering, or was busy for "
            f"{timeout:.0f} s); nothing was changed. Check it is running (`streamlit run serve.py`, see "
            "docs/operations.md) and try again, or stop it and run the command on its own."
        )
    state = "is still running it" if running.exists() else "stopped before it answered"
    return fail(
        f"The dashboard took up `{command_name(args)}` but {state} after {timeout:.0f} s. Whether it "
        "finished shows in the audit log (`python -m strategy audit list`) or in `python -m strategy "
        f"uploads`; set {TIMEOUT_SETTING} to wait longer."
    )


# --- the dashboard's side --------------------------------------------------------------------------------------


class _ThreadOutput(io.TextIOBase):
    """sys.stdout / sys.stderr for the dashboard process while it runs commands: a thread running a command
    writes to that command's buffer, every other thread to the real stream."""

    def __init__(self, real):
        self.real = real
        self.local = threading.local()

    def _target(self):
        return getattr(self.local, "buffer", None) or self.real

    def write(self, text):
        return self._target().write(text)

    def flush(self):
        self._target().flush()

    def __getattr__(self, name):  # encoding, fileno, isatty, ... of the real stream
        return getattr(self.real, name)


_output_lock = threading.Lock()


def _routed(stream_name: str) -> _ThreadOutput:
    with _output_lock:
        stream = getattr(sys, stream_name)
        if not isinstance(stream, _ThreadOutput):
            stream = _ThreadOutput(stream)
            setattr(sys, stream_name, stream)
        return stream


@contextmanager
def _captured() -> Iterator[tuple[io.StringIO, io.StringIO]]:
    out, err = _routed("stdout"), _routed("stderr")
    out.local.buffer, err.local.buffer = io.StringIO(), io.StringIO()
    try:
        yield out.local.buffer, err.local.buffer
    finally:
        out.local.buffer = err.local.buffer = None


def run_request(
    wanted: dict, connection: Callable, database: str | os.PathLike, after_write: Callable[[], None] | None = None
) -> dict:
    """Run one handed-over command with the dashboard's connection: {"status", "stdout", "stderr"}."""
    with _captured() as (out, err):
        status = _run(wanted, connection, database)
    if after_write and wanted.get("_name") and wanted["_name"] not in READ_ONLY_ACTIONS:
        after_write()  # the dashboard's cached answers are recomputed from the changed data
    return {"status": status, "stdout": out.getvalue(), "stderr": err.getvalue()}


def _run(wanted: dict, connection: Callable, database: str | os.PathLike) -> int:
    """The command's exit status; what it prints goes to this thread's buffers."""
    from strategy import access, db
    from strategy.commands import build_parser

    try:
        args = build_parser().parse_args(list(wanted["argv"]))
    except SystemExit as stop:  # argparse has printed what is wrong
        return int(stop.code or 0)
    if args.command not in HANDED_OVER:
        print(
            f"error: `{args.command}` is not run by the dashboard; stop it and run the command on its own.",
            file=sys.stderr,
        )
        return 2
    wanted["_name"] = command_name(args)
    try:
        mode = access.dashboard_mode()
    except access.ModeProblem as problem:
        print(str(problem), file=sys.stderr)
        return 2
    if wanted.get("mode") != mode:
        print(
            f"error: the dashboard runs in {mode} mode and this command line decided {wanted.get('mode')} mode: "
            "they read the same settings (STRATEGY_MODE and the secrets files), so run the command with the "
            "dashboard's settings.",
            file=sys.stderr,
        )
        return 2
    folder = Path(wanted.get("cwd") or ".")
    for name in PATH_ARGUMENTS:
        value = getattr(args, name, None)
        if isinstance(value, str) and value and not Path(value).is_absolute():
            setattr(args, name, str(folder / value))
    args.db = os.fspath(database)
    try:
        with db.served_by(connection, database):
            return args.run(args)
    except access.ModeProblem as problem:
        print(str(problem), file=sys.stderr)
        return 2
    except db.DatabaseUnavailable as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    except Exception as problem:  # an answer, never a dead watcher; the command line shows it
        print(f"error: the dashboard could not run the command: {problem}", file=sys.stderr)
        return 1


def keep_heartbeat(database: str | os.PathLike) -> None:
    """Touch the heartbeat file every second for as long as the process runs (a daemon thread)."""
    beat = requests_folder(database) / HEARTBEAT

    def touch() -> None:
        while True:
            try:
                beat.parent.mkdir(parents=True, exist_ok=True)
                beat.touch()
            except OSError:
                pass
            time.sleep(HEARTBEAT_SECONDS)

    threading.Thread(target=touch, name="command-heartbeat", daemon=True).start()
