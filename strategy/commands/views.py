"""python -m strategy heatmap ... and export FILE.csv|FILE.xlsx ..."""

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
    print_json,
    refused,
)
from strategy.framework import load_framework

# Heavy modules (pandas, DuckDB, plotly, ...) are imported inside the handlers, so `--help` starts quickly.
MEASURE_CHOICES = ("activities", "investment", "participants")  # the keys of analysis.MEASURES


def register(subparsers) -> None:
    heatmap = subparsers.add_parser("heatmap", help="the alignment heatmap for the filters")
    heatmap.add_argument("--rows", choices=["aim", "place", "sector", "theme"], default="aim")
    heatmap.add_argument("--cols", choices=["way", "aim", "theme"], default="way")
    heatmap.add_argument("--measure", choices=MEASURE_CHOICES, default="activities")
    heatmap.add_argument("--json", action="store_true", help="print the cells as JSON")
    add_filter_options(heatmap)
    heatmap.set_defaults(run=run_heatmap)

    export = subparsers.add_parser("export", help="export the filtered activities to CSV or Excel")
    export.add_argument("file", metavar="FILE.csv|FILE.xlsx")
    add_filter_options(export)
    add_acting_user_option(export)
    export.set_defaults(run=run_export)


def run_heatmap(args: argparse.Namespace) -> int:
    from strategy import analysis, db

    framework = load_framework()
    try:
        filters = filters_from_arguments(args, framework)
        if args.rows == args.cols:
            raise UsageError("--rows and --cols must differ")
        con = db.connect(database_argument(args), read_only=True)
    except UsageError as problem:
        return fail(str(problem), 2)
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        cells = analysis.heatmap(con, framework, filters, rows=args.rows, columns=args.cols)
    if args.json:
        print_json(
            {
                "rows": args.rows,
                "columns": args.cols,
                "measure": args.measure,
                "filters": filters.describe(framework),
                "cells": [
                    {
                        "row": r.row_code,
                        "row_label": r.row_label,
                        "column": r.column_code,
                        "column_label": r.column_label,
                        "activities": int(r.activities),
                        "investment": round(float(r.investment), 2),
                        "participants": round(float(r.participants), 2),
                        "value": float(getattr(r, args.measure)),
                    }
                    for r in cells.itertuples()
                ],
            }
        )
    else:
        print(f"{analysis.MEASURES[args.measure]} by {args.rows} and {args.cols} — {filters.describe(framework)}")
        print(analysis.heatmap_matrix(cells, args.measure).round(0).to_string())
    return 0


def run_export(args: argparse.Namespace) -> int:
    from strategy import analysis, db, exports

    framework = load_framework()
    target = Path(args.file)
    try:
        filters = filters_from_arguments(args, framework)
        if target.suffix.lower() not in (".csv", ".xlsx"):
            raise UsageError(f"{target.name}: the export file must end in .csv or .xlsx")
        con = db.connect(database_argument(args))  # writable: the export is recorded in the audit log
    except UsageError as problem:
        return fail(str(problem), 2)
    except db.DatabaseUnavailable as problem:
        return fail(str(problem))
    with con:
        db.migrate(con)
        try:
            table = exports.activities_export(con, framework, filters, acting_user(args, con))
        except UsageError as problem:
            return fail(str(problem), 2)
        except PermissionDenied as problem:
            return refused(problem, args)
        coverage = analysis.data_coverage(con)
        by_place = analysis.place_summary(analysis.need_vs_effort(con, framework, filters))
    is_demo, filters_text = coverage.get("dataset") == "demo", filters.describe(framework)
    exports.write_table(
        table, target, title="Activities", filters_text=filters_text, is_demo=is_demo, summaries={"By place": by_place}
    )
    print(f"Wrote {len(table):,} activities to {target}: {exports.describe_export(len(table), filters_text, is_demo)}")
    return 0
