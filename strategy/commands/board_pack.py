"""python -m strategy board-pack FILE.pptx|FILE.pdf [--template FILE.pptx] [filters]"""

from __future__ import annotations

import argparse
from pathlib import Path

from strategy.access import PermissionDenied
from strategy.commands.common import (
    UsageError,
    acting_user,
    add_acting_user_option,
    add_filter_options,
    database_argument,
    fail,
    filters_from_arguments,
    refused,
)
from strategy.framework import load_framework


def register(subparsers) -> None:
    command = subparsers.add_parser(
        "board-pack",
        help="the board pack (PowerPoint or PDF) for the filters",
        description="Writes one slide per view (overview, alignment, gaps, need against effort, map) with the "
        "headline as the title, the chart, its key figures as an editable table, source and caveats.",
    )
    command.add_argument("file", metavar="FILE.pptx|FILE.pdf")
    command.add_argument(
        "--template",
        metavar="FILE.pptx",
        help="a PowerPoint file whose layouts supply the partnership's logo, fonts and colours",
    )
    add_filter_options(command)
    add_acting_user_option(command)
    command.set_defaults(run=run_board_pack)


def run_board_pack(args: argparse.Namespace) -> int:
    from strategy import db  # heavy (plotly, pptx): not needed for --help
    from strategy.board import pack as board_pack

    framework = load_framework()
    target = Path(args.file)
    try:
        filters = filters_from_arguments(args, framework)
        if target.suffix.lower() not in board_pack.FORMATS:
            raise UsageError(f"{target.name}: the board pack file must end in .pptx or .pdf")
        if not target.parent.is_dir():
            raise UsageError(f"{target.parent} is not a folder; create it first or choose another place")
        template = Path(args.template) if args.template else None
        if template is not None and (not template.is_file() or template.suffix.lower() != ".pptx"):
            raise UsageError(f"--template {args.template!r}: give an existing PowerPoint file ending in .pptx")
        con = db.connect(database_argument(args))  # writable: the export is recorded in the audit log
    except UsageError as problem:
        return fail(str(problem), 2)
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    try:
        with con:
            db.migrate(con)
            pack = board_pack.board_pack_bytes(
                con, framework, filters, target.suffix.lower(), template, actor=acting_user(args, con)
            )
    except UsageError as problem:
        return fail(str(problem), 2)
    except PermissionDenied as problem:
        return refused(problem, args)
    except board_pack.BoardPackError as problem:
        return fail(str(problem))
    board_pack.write_board_pack(target, pack)
    print(f"Wrote the board pack for {filters.describe(framework)} to {target}")
    return 0
