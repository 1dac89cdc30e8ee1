"""Temporary files named with the id of the process writing them ("STEM.PID.REST"), so that what a killed process
left behind is removed by the next one, and a running process's files are left alone."""

from __future__ import annotations

import os
import threading
from pathlib import Path


def name_for_this_process(stem: str, suffix: str = "") -> str:
    """STEM.PID.THREAD+suffix: unique to this process and thread."""
    return f"{stem}.{os.getpid()}.{threading.get_ident()}{suffix}"


def remove_leftovers(folder: str | os.PathLike, pattern: str) -> None:
    """Remove the files matching pattern in folder whose writing process has ended."""
    for path in Path(folder).glob(pattern):
        parts = path.name.split(".")
        if len(parts) >= 3 and parts[1].isdigit() and not _running(int(parts[1])):
            path.unlink(missing_ok=True)


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # another user's process: running
        return True
    return True
