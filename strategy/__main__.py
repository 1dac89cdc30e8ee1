"""The command line: python -m strategy COMMAND ... (see README). Each command group lives in strategy/commands/."""

from __future__ import annotations

import sys

from strategy.commands import build_parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "run", None):
        parser.print_help()
        return 2
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
