"""What an import tells its caller: the outcome, every problem with how to fix it, and what was assumed."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

# The import's statuses (docs/architecture.md, the command line's JSON), with "busy" when another upload is being
# written at that moment.
LOADED, REJECTED, VALID, DUPLICATE, BUSY = "loaded", "rejected", "valid", "duplicate", "busy"
# The report keeps this many problems in full (the annotated file always has every one).
PROBLEMS_KEPT = 5000


@dataclass(frozen=True)
class Limits:
    """How big an upload may be. Defaults from $STRATEGY_MAX_UPLOAD_MB, $STRATEGY_MAX_UPLOAD_ROWS and
    $STRATEGY_MAX_UPLOAD_COLUMNS.

    The megabyte limit matches Streamlit's server.maxUploadSize in .streamlit/config.toml: change both together.
    """

    max_megabytes: float = float(os.environ.get("STRATEGY_MAX_UPLOAD_MB", 50))
    max_rows: int = int(os.environ.get("STRATEGY_MAX_UPLOAD_ROWS", 1_000_000))
    # the template has 14 columns (28 with every tick box); a partner's own sheet may carry many more of its own
    max_columns: int = int(os.environ.get("STRATEGY_MAX_UPLOAD_COLUMNS", 1_000))

    @property
    def max_bytes(self) -> int:
        return int(self.max_megabytes * 1024 * 1024)


@dataclass(frozen=True)
class Problem:
    """One thing wrong (or worth knowing) in a file: where, the value, and what to do about it.

    row is the spreadsheet's row number (the header is row 1); 0 means the file as a whole.
    kind groups problems on the page ("unknown code", "not a date", ...).
    """

    row: int
    column: str
    value: str
    message: str
    kind: str = "problem"

    def as_dict(self) -> dict[str, Any]:
        return {"row": self.row, "column": self.column, "value": self.value, "message": self.message, "kind": self.kind}


class FileRejected(Exception):
    """The file cannot be read at all; carries the problems that say why (caught inside the ingest package)."""

    def __init__(self, *problems: Problem):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = list(problems)


@dataclass
class ImportReport:
    """The outcome of one import: status, counts, problems, assumptions and, for the page, a preview."""

    status: str
    file_name: str
    partner: str
    rows: int = 0
    upload_id: int | None = None
    errors: list[Problem] = field(default_factory=list)
    errors_total: int = 0
    warnings: list[Problem] = field(default_factory=list)
    assumed: dict[str, Any] = field(default_factory=dict)
    message: str = ""
    partner_created: bool = False
    new_activities: int = 0
    replaced_activities: int = 0
    sha256: str = ""
    preview: pd.DataFrame | None = None
    annotated_file: bytes | None = None
    annotated_file_name: str | None = None
    # A checked file (dry run): what it would change for the partner, by activity id (strategy/rounds/returns.py):
    # the first activities of each kind of change, and how many of each kind.
    changes: pd.DataFrame | None = None
    change_counts: dict[str, int] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return self.status in (LOADED, VALID, DUPLICATE)

    def as_json(self) -> dict[str, Any]:
        """The CLI's JSON object (docs/architecture.md), with a few more keys that explain the outcome."""
        return {
            "status": self.status,
            "rows": self.rows,
            "upload_id": self.upload_id,
            "errors": [p.as_dict() for p in self.errors],
            "errors_total": self.errors_total,
            "warnings": [p.as_dict() for p in self.warnings],
            "message": self.message,
            "file_name": self.file_name,
            "partner": self.partner,
            "partner_created": self.partner_created,
            "new_activities": self.new_activities,
            "replaced_activities": self.replaced_activities,
            "assumed": self.assumed,
            "sha256": self.sha256,
            **({"changes": self.change_counts} if self.change_counts else {}),
        }
