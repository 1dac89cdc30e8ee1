"""python -m strategy import KIND FILE ...: a command group, one subcommand per kind of data.

Each kind names the function that adds its sub-parser, as "module:function" (function defaults to
register_import); it is called with the group's subparsers. Add a kind with a line in IMPORT_KINDS, e.g.
"indicators": "strategy.commands.indicators:register_import_indicators".
"""

from __future__ import annotations

import importlib

IMPORT_KINDS: dict[str, str] = {
    "activities": "strategy.commands.import_activities:register_import",
    "indicators": "strategy.commands.indicators:register_import_indicators",
}


def register(subparsers) -> None:
    parser = subparsers.add_parser("import", help="check and load a data file (" + ", ".join(IMPORT_KINDS) + ")")
    kinds = parser.add_subparsers(title="kinds of data", metavar="KIND")
    for registrar in IMPORT_KINDS.values():
        module, _, function = registrar.partition(":")
        getattr(importlib.import_module(module), function or "register_import")(kinds)
