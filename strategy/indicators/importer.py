"""Importing indicator values: the product's template or a Fingertips download, validated whole, loaded whole.

Same rules as activity uploads: every problem is reported at once (row as the spreadsheet numbers it, column,
value, what is wrong, how to fix it) and nothing is written unless the whole file is good; the same bytes are
not loaded twice; the original file is kept with the upload (strategy/safekeeping/originals.py).
"""

from __future__ import annotations

import hashlib
import json
import math
import re
from collections import Counter
from dataclasses import asdict, dataclass, field

import duckdb
import pandas as pd

from strategy import db
from strategy.access import User, require
from strategy.framework import Framework
from strategy.indicators.files import (
    FINGERTIPS,
    TEMPLATE,
    TEMPLATE_REQUIRED,
    decode_file,
    detect_layout,
    fingertips_columns,
    fingertips_rows_to_keep,
    template_columns,
)
from strategy.indicators.statistics import published_verdict
from strategy.ingest.load import could_not_write
from strategy.safekeeping.originals import keep_original

# One comma not followed by exactly three digits is a decimal comma.
DECIMAL_COMMA = re.compile(r"-?\d+,(\d{1,2}|\d{4,})")
NUMBER_COLUMNS = ("value", "lower_ci", "upper_ci", "count", "denominator")
# Cells publishers write instead of a number when a value is withheld or not available: stored as missing.
MISSING_MARKERS = {"", "suppressed", "*", "x", "..", ":", "-", "na", "n/a", "nan", "null", "c", "[c]", "[x]"}
POLARITY_WORDS = {
    "higher_is_better": "higher_is_better",
    "higher": "higher_is_better",
    "high": "higher_is_better",
    "lower_is_better": "lower_is_better",
    "lower": "lower_is_better",
    "low": "lower_is_better",
    "none": "none",
    "": "none",
}


@dataclass
class IndicatorImportReport:
    """The outcome of one import, as the command line's JSON gives it (docs/architecture.md)."""

    status: str  # loaded, rejected, valid (dry run), duplicate
    rows: int = 0  # values that are (or would be) loaded
    upload_id: int | None = None
    errors: list[dict] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    layout: str | None = None
    encoding: str | None = field(default=None, repr=False)
    delimiter: str | None = field(default=None, repr=False)

    def as_dict(self) -> dict:
        """The report as printed by `import indicators --json` and kept with the upload."""
        found = asdict(self)
        del found["encoding"], found["delimiter"]
        return found


def _error(row: int | None, column: str | None, value: object, message: str) -> dict:
    return {"row": row, "column": column, "value": value, "message": message}


def _number(text: str) -> float | None:
    """A cell as a number; None for a missing marker; NaN when it is neither."""
    cleaned = str(text).strip().replace("%", "").replace("£", "")
    if DECIMAL_COMMA.fullmatch(cleaned):  # '12,5' from a European spreadsheet; '1,200' stays twelve hundred
        cleaned = cleaned.replace(",", ".")
    cleaned = cleaned.replace(",", "")
    if cleaned.lower() in MISSING_MARKERS:
        return None
    try:
        number = float(cleaned)
    except ValueError:
        return math.nan
    return number if math.isfinite(number) else math.nan


def staged_rows(data: bytes, file_name: str, framework: Framework) -> tuple[pd.DataFrame, IndicatorImportReport]:
    """The file as canonical text rows (with their spreadsheet row numbers) and a report of what was found."""
    decoded = decode_file(data, file_name)
    report = IndicatorImportReport(status="rejected")
    report.encoding, report.delimiter = decoded.encoding, decoded.delimiter
    if decoded.problems:
        report.errors = [_error(None, None, None, p) for p in decoded.problems]
        return pd.DataFrame(), report
    headers = [str(h) for h in decoded.cells.iloc[0]]
    body = decoded.cells.iloc[1:].reset_index(drop=True)
    layout = detect_layout(headers)
    report.layout = layout
    if layout is None:
        report.errors = [
            _error(
                1,
                None,
                ", ".join(h for h in headers if h),
                (
                    "The header row is neither the indicator template nor a Fingertips download. The template needs "
                    "columns indicator_id, place_code, period and value (optional: lower_ci, upper_ci, count, "
                    "denominator, "
                    "indicator_name, unit, polarity); a Fingertips file needs Indicator ID, Area Code, Sex, Age, "
                    "Time period and Value."
                ),
            )
        ]
        return pd.DataFrame(), report
    if layout == TEMPLATE:
        positions, ignored = template_columns(headers)
        if ignored:
            report.warnings.append("Columns ignored (not part of the template): " + ", ".join(ignored))
    else:
        positions = fingertips_columns(headers)
    rows = pd.DataFrame({column: body[index].astype(str).str.strip() for column, index in positions.items()})
    rows["row"] = range(2, len(body) + 2)
    if layout == FINGERTIPS:
        known = {p.code for p in framework.places}
        keep, skipped = fingertips_rows_to_keep(rows, known)
        report.warnings += [f"Skipped {words}." for words in skipped]
        rows = rows[keep]
    return rows.reset_index(drop=True), report


def validate_rows(
    rows: pd.DataFrame, framework: Framework, known_indicators: dict[str, dict]
) -> tuple[pd.DataFrame, list[dict], list[str], list[dict]]:
    """(values ready to load, new indicators, warnings, errors): every problem in every row."""
    errors: list[dict] = []
    warnings: list[str] = []
    places = {p.code for p in framework.places}
    values = []
    seen: dict[tuple, int] = {}
    new_indicators: dict[str, dict] = {}
    not_comparisons: Counter = Counter()
    for row in rows.to_dict("records"):
        number = row["row"]
        for column in TEMPLATE_REQUIRED[:3]:
            if not row.get(column):
                errors.append(_error(number, column, "", f"{column} is empty; every row needs one."))
        indicator, place, period = row.get("indicator_id", ""), row.get("place_code", ""), row.get("period", "")
        if place and place not in places:
            example = framework.example_place() or framework.local_places()[0]
            errors.append(
                _error(
                    number,
                    "place_code",
                    place,
                    "Not a place of the partnership. Use the ONS code of "
                    f"a district, city, county or England ({framework.benchmark}), for example "
                    f"{example.code}.",
                )
            )
        if indicator and indicator not in known_indicators and indicator not in new_indicators:
            name = row.get("indicator_name", "")
            polarity = POLARITY_WORDS.get(row.get("polarity", "").lower().replace(" ", "_"))
            if not name:
                errors.append(
                    _error(
                        number,
                        "indicator_id",
                        indicator,
                        "A new indicator needs its name: add an "
                        "indicator_name column, or use an indicator ID the dashboard knows.",
                    )
                )
            elif polarity is None:
                errors.append(
                    _error(number, "polarity", row.get("polarity"), "Write higher_is_better, lower_is_better or none.")
                )
            else:
                new_indicators[indicator] = {
                    "indicator_id": indicator,
                    "indicator_name": name,
                    "unit": row.get("unit") or None,
                    "polarity": polarity,
                }
        parsed = {}
        for column in NUMBER_COLUMNS:
            parsed[column] = _number(row.get(column, ""))
            if parsed[column] is not None and math.isnan(parsed[column]):
                errors.append(
                    _error(
                        number,
                        column,
                        row.get(column),
                        f"{column} is not a number. Write a number "
                        "such as 23.4, or leave it blank (or 'Suppressed') when there is no value.",
                    )
                )
        note = row.get("value_note", "") or None
        if note and "suppress" in note.lower():
            parsed["value"] = None  # withheld values are missing, whatever the cell holds
        elif parsed["value"] is None and row.get("value"):
            note = note or row["value"]  # 'Suppressed', '*', '..' in the value cell itself
        errors += _consistency_errors(number, parsed)
        key = (indicator, place, period)
        if key in seen:
            errors.append(
                _error(
                    number,
                    "period",
                    period,
                    f"{indicator} for {place} in {period} is also on row "
                    f"{seen[key]}; keep one row per indicator, place and period.",
                )
            )
        seen.setdefault(key, number)
        try:
            published = published_verdict(row.get("published_comparison"))
        except ValueError:
            published = None
            not_comparisons[row["published_comparison"].strip()] += 1
        trend = " ".join(str(row.get("published_trend") or "").split()).lower() or None
        values.append(
            {
                "indicator_id": indicator,
                "place_code": place,
                "period": period,
                **parsed,
                "value_note": note,
                "published_comparison": published,
                "published_trend": trend,
            }
        )
    if not_comparisons:
        warnings.append(
            f"{sum(not_comparisons.values())} value(s) carry a Fingertips comparison that is not better, "
            "similar, worse, higher or lower (" + ", ".join(sorted(not_comparisons)[:3]) + "); the "
            "values are loaded without Fingertips' verdict."
        )
    for indicator, details in new_indicators.items():
        details["unit"] = details["unit"] or _unit_from_counts(values, indicator)
        warnings.append(
            f"Indicator {indicator} ({details['indicator_name']}) is new to the dashboard and was added "
            f"with polarity '{details['polarity']}' and unit '{details['unit'] or 'not known'}'."
        )
    return pd.DataFrame(values), list(new_indicators.values()), warnings, errors


def _consistency_errors(row: int, v: dict) -> list[dict]:
    found = []
    if (
        v["lower_ci"] is not None
        and v["upper_ci"] is not None
        and not (math.isnan(v["lower_ci"]) or math.isnan(v["upper_ci"]))
    ):
        if v["lower_ci"] > v["upper_ci"]:
            found.append(
                _error(
                    row,
                    "lower_ci",
                    v["lower_ci"],
                    "The lower limit is above the upper limit; check the two columns are not swapped.",
                )
            )
        elif v["value"] is not None and not math.isnan(v["value"]) and not v["lower_ci"] <= v["value"] <= v["upper_ci"]:
            found.append(
                _error(
                    row,
                    "value",
                    v["value"],
                    f"The value is outside its interval ({v['lower_ci']} to {v['upper_ci']}); check the columns.",
                )
            )
    count, size = v["count"], v["denominator"]
    if count is not None and size is not None and not (math.isnan(count) or math.isnan(size)):
        if size <= 0 or count < 0 or count > size:
            found.append(_error(row, "count", count, f"The count must be between 0 and the denominator ({size})."))
    return found


def _unit_from_counts(values: list[dict], indicator: str) -> str | None:
    """'%' when every value with a count and denominator is their percentage (to rounding), else not known."""
    pairs = [
        v
        for v in values
        if v["indicator_id"] == indicator
        and None not in (v["value"], v["count"], v["denominator"])
        and v["denominator"]
    ]
    if pairs and all(abs(100 * v["count"] / v["denominator"] - v["value"]) < 0.6 for v in pairs):
        return "%"
    return None


def known_indicators(con: duckdb.DuckDBPyConnection) -> dict[str, dict]:
    return {r["indicator_id"]: r for r in db.query(con, "indicator_definitions").to_dict("records")}


def import_indicator_file(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    data: bytes,
    file_name: str,
    actor: User,
    dry_run: bool = False,
) -> IndicatorImportReport:
    """Validate a whole file and, unless dry_run or anything is wrong, load it in one transaction; the report.

    Analysts and admins only (PermissionDenied otherwise, before the file is read)."""
    require(actor, "import_indicators")
    sha256 = hashlib.sha256(data).hexdigest()
    rows, report = staged_rows(data, file_name, framework)
    if report.errors:
        return report
    previous = db.query(con, "indicator_upload_with_checksum", sha256=sha256)
    if len(previous):
        report.status, report.upload_id = "duplicate", int(previous.upload_id[0])
        report.warnings.append(
            f"This file was already loaded as upload {report.upload_id} on "
            f"{previous.uploaded_at[0]:%d %b %Y}; nothing was loaded again."
        )
        return report
    values, new_indicators, warnings, errors = validate_rows(rows, framework, known_indicators(con))
    report.warnings += warnings
    report.errors = errors
    if errors:
        report.status = "rejected"
        return report
    if values.empty:
        report.status = "rejected"
        report.errors = [_error(None, None, None, "No rows to load: every row was skipped (see warnings).")]
        return report
    report.rows = len(values)
    if dry_run:
        report.status = "valid"
        return report
    try:
        original_in_row = keep_original(con, data, sha256)  # durable before the row that names it
    except OSError as failed:
        report.status = "rejected"
        report.errors = [_error(None, None, None, could_not_write(failed))]
        return report
    with db.transaction(con) as cursor:
        report.status = "loaded"
        upload_id = db.execute(
            cursor,
            "insert_indicator_upload",
            uploaded_by=actor.email,
            file_name=file_name,
            sha256=sha256,
            encoding=report.encoding,
            delimiter=report.delimiter,
            rows_read=len(rows),
            rows_loaded=len(values),
            report=json.dumps(report.as_dict(), default=str),
            original=original_in_row,
        )[0][0]
        report.upload_id = int(upload_id)
        for indicator in new_indicators:
            db.execute(cursor, "insert_imported_indicator", **indicator, source=f"Imported from {file_name}")
        staged = values.assign(source=f"Upload {upload_id}: {file_name}", upload_id=upload_id)
        cursor.register("staged_indicator_values", staged)
        try:
            db.execute(cursor, "insert_staged_indicator_values")
        finally:
            cursor.unregister("staged_indicator_values")
        db.execute(
            cursor, "update_upload_report", upload_id=upload_id, report=json.dumps(report.as_dict(), default=str)
        )
        db.audit(cursor, actor, "import indicators", f"{file_name}: {len(values)} values ({report.layout})", upload_id)
    return report
