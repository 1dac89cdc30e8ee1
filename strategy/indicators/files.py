"""Reading an indicator file: bytes -> text cells, which layout it is, and (for Fingertips) which rows to keep."""

from __future__ import annotations

import csv
import io
import re
from collections import Counter
from dataclasses import dataclass, field

import pandas as pd

TEMPLATE, FINGERTIPS = "template", "fingertips"

# Canonical column -> accepted header spellings (compared after header_key()).
TEMPLATE_COLUMNS = {
    "indicator_id": ("indicatorid", "indicator"),
    "place_code": ("placecode", "place", "areacode"),
    "period": ("period", "timeperiod"),
    "value": ("value",),
    "lower_ci": ("lowerci", "lowerci950limit"),
    "upper_ci": ("upperci", "upperci950limit"),
    "count": ("count",),
    "denominator": ("denominator",),
    "indicator_name": ("indicatorname", "name"),
    "unit": ("unit",),
    "polarity": ("polarity",),
    "value_note": ("valuenote", "note"),
}
TEMPLATE_REQUIRED = ("indicator_id", "place_code", "period", "value")

# The columns of the CSV behind Fingertips' "download data" button that the import reads.
FINGERTIPS_COLUMNS = {
    "indicator_id": "indicatorid",
    "indicator_name": "indicatorname",
    "place_code": "areacode",
    "area_name": "areaname",
    "area_type": "areatype",
    "sex": "sex",
    "age": "age",
    "category_type": "categorytype",
    "category": "category",
    "period": "timeperiod",
    "value": "value",
    "lower_ci": "lowerci950limit",
    "upper_ci": "upperci950limit",
    "count": "count",
    "denominator": "denominator",
    "value_note": "valuenote",
    # Fingertips' own verdicts, kept and shown beside ours: "Compared to England value or percentiles" (older
    # downloads: "Compared to England") and "Recent Trend".
    "published_comparison": ("comparedtoenglandvalueorpercentiles", "comparedtoengland"),
    "published_trend": "recenttrend",
}
FINGERTIPS_SIGNATURE = {"indicatorid", "areacode", "timeperiod", "value", "sex", "age"}
ALL_AGES = "all ages"
PERSONS = "persons"


def header_key(text: str) -> str:
    """A header as compared: no BOM, case, spaces, underscores, hyphens or dots
    ('Lower CI 95.0 limit' -> 'lowerci950limit')."""
    return re.sub(r"[^0-9a-z]", "", str(text).replace("\ufeff", "").lower())


@dataclass
class DecodedFile:
    """The file's cells as text, with how it was read; problems are messages for the report."""

    cells: pd.DataFrame
    encoding: str | None = None
    delimiter: str | None = None
    problems: list[str] = field(default_factory=list)


def decode_file(data: bytes, file_name: str) -> DecodedFile:
    """Every cell as text (header row first), from CSV (UTF-8 or Windows-1252; comma, semicolon or tab) or XLSX."""
    if file_name.lower().endswith(".xlsx") or data[:2] == b"PK":
        try:
            cells = pd.read_excel(io.BytesIO(data), dtype=str, header=None, keep_default_na=False)
        except Exception as error:  # openpyxl raises many kinds for a damaged workbook
            return DecodedFile(
                pd.DataFrame(),
                problems=[f"The Excel file could not be read ({error}). Save it again from Excel, or as CSV."],
            )
        return DecodedFile(cells.fillna(""), encoding="xlsx", delimiter=None)
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        return DecodedFile(
            pd.DataFrame(),
            problems=[
                "The file is not text in UTF-8 or Windows-1252. Save it as 'CSV UTF-8' from Excel and upload it again."
            ],
        )
    if not text.strip():
        return DecodedFile(pd.DataFrame(), encoding, problems=["The file is empty."])
    first_line = text.splitlines()[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    width = max(len(r) for r in rows)
    cells = pd.DataFrame([r + [""] * (width - len(r)) for r in rows if any(c.strip() for c in r)], dtype=str)
    return DecodedFile(cells, encoding.replace("-sig", ""), delimiter)


def detect_layout(headers: list[str]) -> str | None:
    """FINGERTIPS, TEMPLATE, or None when the header row is neither."""
    keys = {header_key(h) for h in headers}
    if FINGERTIPS_SIGNATURE <= keys:
        return FINGERTIPS
    if all(any(s in keys for s in TEMPLATE_COLUMNS[c]) for c in TEMPLATE_REQUIRED):
        return TEMPLATE
    return None


def template_columns(headers: list[str]) -> tuple[dict[str, int], list[str]]:
    """(canonical column -> position, headers not understood) for the product's own template."""
    positions: dict[str, int] = {}
    ignored = []
    for index, header in enumerate(headers):
        key = header_key(header)
        found = next((c for c, spellings in TEMPLATE_COLUMNS.items() if key in spellings), None)
        if found and found not in positions:
            positions[found] = index
        elif header.strip():
            ignored.append(header.strip())
    return positions, ignored


def fingertips_columns(headers: list[str]) -> dict[str, int]:
    keys = [header_key(h) for h in headers]
    found = {}
    for column, spellings in FINGERTIPS_COLUMNS.items():
        for key in (spellings,) if isinstance(spellings, str) else spellings:
            if key in keys:
                found[column] = keys.index(key)
                break
    return found


def fingertips_rows_to_keep(rows: pd.DataFrame, known_places: set[str]) -> tuple[pd.Series, list[str]]:
    """Which Fingertips rows are the headline figures of the partnership's places, and what was skipped, in words.

    Kept: Persons, no inequality category, a place the partnership knows (its districts, counties and England),
    and for each indicator one age band: 'All ages' when present, else the band most rows have (the
    indicator's own, such as '19+ yrs').
    """
    skipped: list[str] = []
    keep = pd.Series(True, index=rows.index)

    def drop(mask: pd.Series, words: str) -> None:
        nonlocal keep
        newly = mask & keep
        if newly.any():
            skipped.append(f"{int(newly.sum())} row(s) {words}")
        keep &= ~mask

    category_type = rows.get("category_type", pd.Series("", index=rows.index)).str.strip()
    drop(
        category_type != "",
        "broken down by a category such as deprivation decile ("
        + ", ".join(sorted(set(category_type[category_type != ""]))[:3])
        + ")",
    )
    sex = rows.get("sex", pd.Series("Persons", index=rows.index)).str.strip()
    drop(
        sex.str.lower() != PERSONS,
        "for " + " or ".join(sorted(set(sex[sex.str.lower() != PERSONS]))) + " (Persons kept)",
    )
    outside = ~rows.place_code.str.strip().isin(known_places)
    drop(
        outside,
        "for areas outside the partnership, such as "
        + ", ".join(sorted(set(rows.get("area_name", rows.place_code)[outside]))[:3]),
    )
    age = rows.get("age", pd.Series(ALL_AGES, index=rows.index)).str.strip()
    for indicator, ages in age[keep].groupby(rows.indicator_id[keep]):
        counts = Counter(ages)
        chosen = next((a for a in counts if a.lower() == ALL_AGES), None) or counts.most_common(1)[0][0]
        other = keep & (rows.indicator_id == indicator) & (age != chosen)
        if other.any():
            drop(other, f"of indicator {indicator} for other age bands than {chosen!r}")
    return keep, skipped
