"""The command line: python -m strategy COMMAND ... (see README). Each command group lives in strategy/commands/."""

from __future__ import annotations

import sys

from strategy.commands import build_parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)  # --help ends here: nothing heavy is imported before this line
    from strategy.access import ModeProblem
    from strategy.build.reference import ReferenceDataError
    from strategy.db import NotAFileDatabase
    from strategy.framework import FrameworkError
    from strategy.private_files import keep_files_private

    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    keep_files_private()
    from strategy import command_requests

    try:
        if command_requests.should_hand_over(args):  # the dashboard is running: it runs the command
            return command_requests.hand_over(sys.argv[1:] if argv is None else list(argv), args)
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
