"""The command line: python -m strategy COMMAND ... (see README). Each command group lives in strategy/commands/."""

from __future__ import annotations

import sys

from strategy.access import ModeProblem
from strategy.commands import build_parser
from strategy.db import NotAFileDatabase, keep_files_private
from strategy.framework import FrameworkError
from strategy.reference import ReferenceDataError


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    keep_files_private()
    try:
        return args.run(args)
    except ModeProblem as problem:  # sign-in settings in doubt: refuse, never act as the local user
        print(str(problem), file=sys.stderr)
        return 2
    except (FrameworkError, ReferenceDataError) as problem:  # STRATEGY_FRAMEWORK / STRATEGY_REFERENCE to fix
        print(str(problem), file=sys.stderr)
        return 2
    except NotAFileDatabase as problem:  # a file-only command (backup, restore, ...) on a MotherDuck database
        print(str(problem), file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
