"""Named stages of an import, so the crash-safety test can kill the process at a known point.

In service STRATEGY_TEST_PAUSE_AT is unset and reached() does nothing. When it is set, every stage is written to
stderr as it is reached ("stage: NAME"), and the import holds at the stage the variable names until it is killed.
"""

from __future__ import annotations

import os
import sys
import time

PAUSE_VARIABLE = "STRATEGY_TEST_PAUSE_AT"
# In the order an import passes them (the command line adds "closed" after the file is let go).
STAGES = (
    "reading",
    "validated",
    "write lock",
    "backed up",
    "original kept",
    "upload recorded",
    "activities written",
    "links written",
    "before commit",
    "committed",
    "closed",
)


def reached(stage: str) -> None:
    wanted = os.environ.get(PAUSE_VARIABLE)
    if wanted is None:
        return
    print(f"stage: {stage}", file=sys.stderr, flush=True)
    if wanted == stage:
        time.sleep(3600)
