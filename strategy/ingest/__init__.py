"""Partner activity files in, validated, loaded whole or not at all (columns: docs/upload.md; outcomes:
docs/architecture.md).

file bytes -> decode (encoding, delimiter) -> read (raw text table) -> validate (typed rows + problems)
-> load (one transaction); rollback undoes one upload; template makes the files partners fill in.
"""

from strategy.ingest.importer import import_activities
from strategy.ingest.report import BUSY, DUPLICATE, LOADED, REJECTED, VALID, ImportReport, Limits, Problem
from strategy.ingest.rollback import RollbackReport, rollback_upload, upload_history

__all__ = [
    "import_activities",
    "rollback_upload",
    "upload_history",
    "ImportReport",
    "RollbackReport",
    "Limits",
    "Problem",
    "LOADED",
    "REJECTED",
    "VALID",
    "DUPLICATE",
    "BUSY",
]
