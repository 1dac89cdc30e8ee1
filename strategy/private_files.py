"""Files the dashboard makes are readable by its own account only: the database, its write-ahead log, backups,
uploaded originals, exports."""

from __future__ import annotations

import os
from pathlib import Path

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
