"""Command groups of the command line. Each module defines register(subparsers); add new ones to COMMAND_MODULES."""

from __future__ import annotations

import argparse

from strategy.commands import board_pack, imports, indicators, init, loop, operations, rounds, uploads, users, views
from strategy.commands.common import add_acting_user_option, add_database_option

# In the order `--help` lists them. Each module imports its heavy libraries inside its run_ functions.
COMMAND_MODULES = (init, views, indicators, board_pack, operations, imports, uploads, users, rounds, loop)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m strategy", description="The strategy alignment dashboard: data and exports."
    )
    add_database_option(parser)
    add_acting_user_option(parser)
    subparsers = parser.add_subparsers(title="commands", metavar="COMMAND", dest="command")
    for module in COMMAND_MODULES:
        module.register(subparsers)
    return parser
