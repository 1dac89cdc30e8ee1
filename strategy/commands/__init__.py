"""Command groups of the command line. Each module defines register(subparsers); add new ones to COMMAND_MODULES."""

from __future__ import annotations

import argparse
import importlib

from strategy.commands.common import add_acting_user_option, add_database_option

COMMAND_MODULES = [
    "strategy.commands.init",
    "strategy.commands.views",
    "strategy.commands.indicators",
    "strategy.commands.board_pack",
    "strategy.commands.operations",
    "strategy.commands.imports",
    "strategy.commands.uploads",
    "strategy.commands.users",
    "strategy.commands.rounds",
    "strategy.commands.loop",
]


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="python -m strategy",
                                     description="Making our Move alignment dashboard: data and exports.")
    add_database_option(parser)
    add_acting_user_option(parser)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser
