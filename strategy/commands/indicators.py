"""python -m strategy indicators [--indicator ID] [--place CODE] [--period P] [--json]
and python -m strategy import indicators FILE [--dry-run] [--json] (registered into the shared `import` group)."""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from strategy.access import PermissionDenied
from strategy.commands.common import (
    UsageError,
    acting_user,
    add_acting_user_option,
    database_argument,
    fail,
    print_json,
    refused,
)
from strategy.framework import load_framework

# compared_to_england: the verdict shown; comparison_source: "computed" (our rule on the value's 95% interval),
# "published" (Fingertips' own verdict, for values without an interval) or null (not compared).
# published_comparison and published_trend: what Fingertips published for the value, where known.
JSON_FIELDS = (
    "indicator_id",
    "indicator_name",
    "place_code",
    "place_name",
    "period",
    "value",
    "lower_ci",
    "upper_ci",
    "ci_method",
    "compared_to_england",
    "comparison_source",
    "recent_trend",
    "published_comparison",
    "published_trend",
)


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "indicators", help="indicator values with intervals, comparison with England and recent trend"
    )
    parser.add_argument("--indicator", metavar="ID", help="one indicator, for example 93015 (default: all)")
    parser.add_argument("--place", metavar="CODE_OR_NAME", help="one place, or England (default: all)")
    parser.add_argument("--period", metavar="P", help="one period as labelled, for example 2023/24")
    parser.add_argument(
        "--json", action="store_true", help="print a JSON list (fields: docs/architecture.md, the command line's JSON)"
    )
    parser.set_defaults(run=run_indicators)


def register_import_indicators(import_subparsers) -> None:
    """Add `indicators` to the shared `import` command group."""
    parser = import_subparsers.add_parser(
        "indicators", help="import indicator values: the template or a Fingertips 'download data' CSV"
    )
    parser.add_argument("file", metavar="FILE", help="CSV or XLSX")
    parser.add_argument("--dry-run", action="store_true", help="check the file and report, load nothing")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    add_acting_user_option(parser)
    parser.set_defaults(run=run_import_indicators)


def _plain(value):
    if isinstance(value, float) and math.isnan(value):
        return None
    return value


def run_indicators(args: argparse.Namespace) -> int:
    from strategy import db  # heavy (pandas, DuckDB): not needed for --help
    from strategy.indicators import trends as indicator_trends

    framework = load_framework()
    try:
        place = None
        if args.place:
            place = framework.resolve("place", args.place)
            if place is None:
                example = framework.example_place() or framework.local_places()[0]
                raise UsageError(
                    f"--place {args.place!r} is not known; use a name such as '{example.name}', an ONS "
                    f"code such as {example.code}, or England"
                )
        con = db.connect(database_argument(args), read_only=True)
    except UsageError as problem:
        return fail(str(problem), 2)
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        known = list(indicator_trends.indicator_catalogue(con).indicator_id)
        if args.indicator and args.indicator not in known:
            return fail(f"--indicator {args.indicator!r} is not known; use one of {', '.join(known)}", 2)
        found = indicator_trends.indicator_assessments(con, framework, args.indicator, place, args.period)
    if args.json:
        print_json([{field: _plain(row[field]) for field in JSON_FIELDS} for row in found.to_dict("records")])
        return 0
    if found.empty:
        print("No indicator values match.")
        return 0
    shown = found[
        [
            "indicator_id",
            "place_name",
            "period",
            "value",
            "lower_ci",
            "upper_ci",
            "compared_to_england",
            "comparison_source",
            "recent_trend",
        ]
    ]
    print(shown.to_string(index=False, float_format=lambda v: f"{v:.1f}", na_rep="-"))
    return 0


def run_import_indicators(args: argparse.Namespace) -> int:
    from strategy import db
    from strategy.indicators.importer import import_indicator_file

    path = Path(args.file)
    if not path.is_file():
        return fail(f"{path} is not a file; give the path of a CSV or XLSX indicator file", 2)
    framework = load_framework()
    try:
        con = db.connect(database_argument(args))
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        db.migrate(con)
        try:
            report = import_indicator_file(
                con, framework, path.read_bytes(), path.name, acting_user(args, con), dry_run=args.dry_run
            )
        except UsageError as problem:
            return fail(str(problem), 2)
        except PermissionDenied as problem:
            return refused(problem, args)
    if args.json:
        print_json(report.as_dict())
    else:
        print(
            f"{report.status}: {report.rows} values from {path.name} ({report.layout or 'layout not recognised'})"
            + (f", upload {report.upload_id}" if report.upload_id else "")
        )
        for warning in report.warnings:
            print(f"warning: {warning}")
        for error in report.errors:
            print(f"row {error['row']}, {error['column']}: {error['value']!r}: {error['message']}")
    return 1 if report.status == "rejected" else 0
