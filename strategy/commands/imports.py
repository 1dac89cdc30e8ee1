"""python -m strategy import KIND FILE ...: a command group, one subcommand per kind of data.

Each kind lives in its own module with register_import(import_subparsers); add a kind by adding its module to
IMPORT_KINDS (or calling add_import_kind before the parser is built).
"""

from __future__ import annotations

import importlib

IMPORT_KINDS: dict[str, str] = {
    "activities": "strategy.commands.import_activities",
}


def add_import_kind(kind: str, module: str) -> None:
    """Make `import KIND` available; module must define register_import(import_subparsers)."""
    IMPORT_KINDS[kind] = module


def register(subparsers) -> None:
    parser = subparsers.add_parser("import", help="check and load a data file (" + ", ".join(IMPORT_KINDS) + ")")
    kinds = parser.add_subparsers(title="kinds of data", metavar="KIND")
    for module in IMPORT_KINDS.values():
        importlib.import_module(module).register_import(kinds)
