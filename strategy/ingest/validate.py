"""Raw cells to typed rows and a complete list of problems, all in DuckDB (vectorised: 1M rows in seconds).

Tables it leaves on the cursor for load.py: staged (the cells as text), typed (one row per activity, typed, with
its aims, ways and themes as masks and its places as a place set) and problems (every error, with its message).
"""

from __future__ import annotations

import difflib
import re
import string
from dataclasses import dataclass, field

import duckdb

from strategy.framework import Framework
from strategy.ingest.cells import TRIM, blank, clean, date_format_sql, date_sql
from strategy.ingest.columns import (
    COLUMN_NAMES,
    HEADER_NAMES,
    LIST_SEPARATORS,
    REQUIRED,
    TICKED,
    header_key,
    match_header,
)
from strategy.ingest.lookups import LIST_KINDS, NORMALISE_SQL, create_lookup_tables, how_to_write
from strategy.ingest.read import RawTable
from strategy.ingest.report import Limits, Problem
from strategy.ingest.row_checks import ROW_CHECKS, Rows

NUMBER_CLEAN = {
    "participants": "regexp_replace({x}, '[,\\s\u00a0]', '', 'g')",
    "investment_gbp": "regexp_replace({x}, '(?i)^gbp|gbp$|[£,\\s\u00a0]', '', 'g')",
}
# Free text, trimmed as it is staged. Every other column is staged as written (a million rows hold a few hundred
# distinct dates, names or codes): its spaces are trimmed once per distinct value, where it is matched or converted,
# which took a quarter of the time it took to stage the file.
TRIMMED_ON_STAGING = ("activity_id", "title", "description")


@dataclass
class Validation:
    """What validation found: rows, problems (errors), warnings and what was assumed."""

    rows: int = 0
    warnings: list[Problem] = field(default_factory=list)
    header_problems: list[Problem] = field(default_factory=list)
    assumed: dict = field(default_factory=dict)
    data_rows: int = 0  # rows below the header, blank ones included
    headers: dict[str, str] = field(default_factory=dict)  # column name -> the partner's header text


def column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = string.ascii_uppercase[remainder] + letters
    return letters


def validate(cursor: duckdb.DuckDBPyConnection, raw: RawTable, framework: Framework, limits: Limits) -> Validation:
    """Check every cell of the file's rows; leaves staged, typed, links and problems tables on the cursor."""
    result = Validation()
    mapping, ticks = _map_headers(cursor, raw, framework, result)
    create_lookup_tables(cursor, framework)
    result.data_rows = _stage(cursor, raw, mapping, ticks)
    result.rows = cursor.execute("SELECT count(*) FROM staged").fetchall()[0][0]
    cursor.execute(
        "CREATE OR REPLACE TEMP TABLE problems (row_number INTEGER, column_name VARCHAR, "
        "value VARCHAR, message VARCHAR, kind VARCHAR)"
    )
    if result.rows == 0:
        result.header_problems.append(
            Problem(
                raw.header_row + 1,
                "",
                "",
                "There are no activities under the "
                "headers. Add one row per activity, starting in the row below the "
                "headers.",
                "no activities",
            )
        )
    if result.rows > limits.max_rows:
        result.header_problems.append(
            Problem(
                0,
                "",
                f"{result.rows:,} rows",
                f"The file has {result.rows:,} activities; at most {limits.max_rows:,} "
                "can be loaded at once. Split it into smaller files and upload each.",
                "too many rows",
            )
        )
    # A missing column does not stop the other checks (every problem at once); problems that make rows
    # meaningless (no rows, too many, two columns read as one, a tick box for a code that does not exist) do.
    if any(p.kind != "missing column" for p in result.header_problems):
        return result
    _cell_profiles(cursor, mapping, framework)
    _typed(cursor, mapping, ticks)
    rows = Rows(cursor, framework, mapping, ticks, result.headers, raw.may_hold_control_characters())
    for check in ROW_CHECKS:
        check(rows)
    _assumptions(cursor, mapping, ticks, result)
    return result


def _map_headers(
    cursor, raw: RawTable, framework: Framework, result: Validation
) -> tuple[dict[str, int], dict[str, int]]:
    """Which raw column holds each named column and each tick-box code; header problems and warnings noted."""
    mapping: dict[str, int] = {}
    ticks: dict[str, int] = {}
    row = raw.header_row
    if row > 1:
        result.warnings.append(
            Problem(
                row, "", "", f"The headers were found in row {row}; the rows above them were ignored.", "ignored rows"
            )
        )
    for index, header in enumerate(raw.headers):
        letter = column_letter(index)
        if not header:
            filled = _filled_below_header(cursor, raw, index)
            if filled:
                result.warnings.append(
                    Problem(
                        row,
                        f"column {letter}",
                        "",
                        f"Column {letter} has no header, so its "
                        f"{filled} value(s) were ignored. Give it one of the template's "
                        "headers if it should be read.",
                        "ignored column",
                    )
                )
            continue
        matched = match_header(header)
        if matched is None:
            close = difflib.get_close_matches(header_key(header), list(HEADER_NAMES), n=1, cutoff=0.8)
            hint = f" Did you mean '{HEADER_NAMES[close[0]]}'?" if close else ""
            result.warnings.append(
                Problem(
                    row,
                    header,
                    header,
                    f"Column {letter} '{header}' is not one the template knows, so it was ignored.{hint}",
                    "ignored column",
                )
            )
            continue
        name, code = matched
        target, key = (ticks, code) if code else (mapping, name)
        if key in target:
            first = raw.headers[target[key]]
            result.header_problems.append(
                Problem(
                    row,
                    header,
                    header,
                    f"Columns {column_letter(target[key])} "
                    f"('{first}') and {letter} ('{header}') are both read as "
                    f"{key}. Keep one of them.",
                    "duplicate column",
                )
            )
            continue
        target[key] = index
        if header_key(header) != header_key(name) and not code:
            result.assumed.setdefault("headers", {})[header] = name
    result.headers = {name: raw.headers[i] for name, i in [*mapping.items(), *ticks.items()]}
    for name in REQUIRED:
        if name in mapping or (name == "aims" and any(c.startswith("A") for c in ticks)):
            continue
        result.header_problems.append(
            Problem(
                row,
                name,
                "",
                f"The required column '{name}' is missing. Add a column headed {name} (see the template).",
                "missing column",
            )
        )
    kinds = {"A": "aim", "W": "way", "T": "theme"}
    for code, index in ticks.items():
        if code not in {i.code for i in framework.items(kinds[code[0]])}:
            result.header_problems.append(
                Problem(
                    row,
                    raw.headers[index],
                    raw.headers[index],
                    f"There is no {kinds[code[0]]} {code[1:]}. " + how_to_write(framework, kinds[code[0]]),
                    "unknown code",
                )
            )
    return mapping, ticks


def _filled_below_header(cursor, raw: RawTable, index: int) -> int:
    """How many cells of column index below the header hold something."""
    everywhere = raw.query(
        cursor, f"SELECT count(c{index}) FILTER (WHERE trim(c{index}, '{TRIM}') <> '') FROM {{rows}}"
    ).fetchall()[0][0]
    above = sum(1 for row in raw.top_rows[: raw.header_row] if (row[index + 1] or "").strip(TRIM))
    return everywhere - above


def _stage(cursor, raw: RawTable, mapping: dict[str, int], ticks: dict[str, int]) -> int:
    """staged: one row per non-empty data row (row_number as the spreadsheet numbers it), every named column
    trimmed (NULL when missing or blank); how many rows there are below the header, blank ones included.

    Read straight from the file into the one table checking needs; rows are numbered by their place in it
    (rowid, which deleting the header and blank rows leaves unchanged), so the text is held once, not twice.
    """

    def staged(name: str, index: int) -> str:
        return f"{clean(f'c{index}')} AS {name}" if name in TRIMMED_ON_STAGING else f"NULLIF(c{index}, '') AS {name}"

    selected = [staged(n, mapping[n]) if n in mapping else f"CAST(NULL AS VARCHAR) AS {n}" for n in COLUMN_NAMES]
    selected += [f"{clean(f'c{i}')} AS tick_{code}" for code, i in ticks.items()]
    trimmed = [*TRIMMED_ON_STAGING, *(f"tick_{code}" for code in ticks)]
    # coalesce looks at the next cell only where the ones before are empty: a row with an id costs nothing here
    anything = [*trimmed, *(f"CASE WHEN NOT {blank(n)} THEN {n} END" for n in COLUMN_NAMES if n not in trimmed)]
    raw.query(cursor, f"CREATE OR REPLACE TEMP TABLE staged_rows AS SELECT {', '.join(selected)} FROM {{rows}}")
    below_header = cursor.execute("SELECT count(*) FROM staged_rows").fetchall()[0][0] - raw.header_row
    cursor.execute(
        f"DELETE FROM staged_rows WHERE rowid < $h OR coalesce({', '.join(anything)}) IS NULL", {"h": raw.header_row}
    )
    cursor.execute(
        "CREATE OR REPLACE TEMP VIEW staged AS SELECT CAST(rowid + 1 AS INTEGER) AS row_number, * FROM staged_rows"
    )
    return below_header


def _phrases_with_separators(framework: Framework) -> list[tuple[str, str]]:
    """(RE2 pattern, replacement) for every spelling that holds a list separator, longest first: the strategy's
    own wording has commas ('Creating accessible, safe and inclusive places ...'), and a partner who writes it
    must not have it cut in two. The replacement drops the separators, which matching ignores anyway."""
    found = set()
    for kind in LIST_KINDS.values():
        if kind == "place":
            continue
        for item in framework.items(kind):
            for word in (item.label, item.description, item.description.rstrip("."), *item.synonyms):
                if re.search(LIST_SEPARATORS, word):
                    found.add(word)
    special = set(".^$*+?()[]{}|\\")
    return [
        (
            "(?i)"
            + "".join("\\" + c if c in special else c for c in re.sub(r"\s*([;,|])\s*", "\x00", word))
            .replace("\x00", r"\s*[;,|]\s*")
            .replace(" ", r"\s+"),
            re.sub(LIST_SEPARATORS, " ", word),
        )
        for word in sorted(found, key=len, reverse=True)
    ]


def _protected(cell: str, phrases: list[tuple[str, str]], parameters: dict) -> str:
    """SQL: the cell with each phrase's separators taken out (bound patterns), so it is split between phrases."""
    for n, (pattern, plain) in enumerate(phrases):
        parameters[f"phrase_{n}"], parameters[f"plain_{n}"] = pattern, plain
        cell = f"regexp_replace({cell}, $phrase_{n}, $plain_{n}, 'g')"
    return cell


def _cell_profiles(cursor, mapping, framework: Framework) -> None:
    """Each distinct cell of the list columns split and matched (cell_pieces, cell_codes) and its mask and place
    set (cell_profiles), from which the rows take theirs (typed).

    A million rows hold a few hundred distinct cells ('Bolsover; Chesterfield'), so cells are split and matched
    once and a hash join per column brings the result to the rows. Rows are linked to their codes only when
    they are loaded, from their masks and place sets (load.py).
    """
    phrases, parameters = _phrases_with_separators(framework), {}
    parts = []
    for column, kind in LIST_KINDS.items():
        if column in mapping:
            # Each distinct cell once (a few hundred in a large file); phrases of the strategy that hold a comma
            # lose it first (places have none). translate + string_split is several times faster than a regex split.
            text = "cell" if kind == "place" else _protected("cell", phrases, parameters)
            parts.append(
                f"SELECT '{column}' AS column_name, '{kind}' AS kind, cell, "
                f"unnest(string_split(translate({text}, ';|', ',,'), ',')) AS piece "
                f"FROM (SELECT DISTINCT {column} AS cell FROM staged WHERE {column} IS NOT NULL)"
            )
    cursor.execute(
        "CREATE OR REPLACE TEMP TABLE cell_pieces AS SELECT column_name, kind, cell, "
        f"trim(piece, '{TRIM}') AS shown, {NORMALISE_SQL.format(x='piece')} AS word FROM ("
        + (" UNION ALL ".join(parts) or "SELECT '' AS column_name, '' AS kind, '' AS cell, '' AS piece")
        + ")",
        parameters,
    )
    cursor.execute("""CREATE OR REPLACE TEMP TABLE cell_codes AS SELECT DISTINCT column_name, kind, cell, shown, code
        FROM (SELECT p.*, l.code FROM cell_pieces p JOIN code_lookup l ON l.kind = p.kind AND l.word = p.word
              WHERE p.kind <> 'place'
              UNION ALL SELECT p.*, l.code FROM cell_pieces p JOIN place_lookup l ON l.word = p.word
              WHERE p.kind = 'place')""")
    # Each distinct cell's derived columns (strategy/activities.py): bit n for a code ending in n, and the sorted,
    # space-separated set of places. Rows take them by a join, so nothing is aggregated per row.
    cursor.execute("""CREATE OR REPLACE TEMP TABLE cell_profiles AS SELECT column_name, cell,
        coalesce(bit_or(CASE WHEN kind <> 'place' THEN 1::UINTEGER << CAST(substr(code, 2) AS INTEGER) END), 0) AS mask,
        array_to_string(list_sort(list_distinct(list(code) FILTER (WHERE kind = 'place'))), ' ') AS place_set
        FROM cell_codes GROUP BY column_name, cell""")


def _profile_sql(mapping, ticks) -> tuple[str, str]:
    """(select list, joins): each row's aim/way/theme masks and place set, from its cells' profiles and tick boxes."""
    joins, masks = [], {"aim": [], "way": [], "theme": []}
    ticked = ", ".join(f"'{t}'" for t in TICKED)
    for number, (column, kind) in enumerate(LIST_KINDS.items()):
        if column in mapping:
            joins.append(
                f"LEFT JOIN cell_profiles cp{number} ON cp{number}.column_name = '{column}' "
                f"AND cp{number}.cell = s.{column}"
            )
            if kind != "place":
                masks[kind].append(f"coalesce(cp{number}.mask, 0)")
    kinds = {"A": "aim", "W": "way", "T": "theme"}
    for code in ticks:
        masks[kinds[code[0]]].append(
            f"CASE WHEN lower(s.tick_{code}) IN ({ticked}) THEN 1::UINTEGER << {int(code[1:])} ELSE 0::UINTEGER END"
        )
    places = [n for n, column in enumerate(LIST_KINDS) if column == "places" and column in mapping]
    selected = [f"({' | '.join(masks[kind]) or '0::UINTEGER'}) AS {kind}_mask" for kind in masks]
    selected.append(f"cp{places[0]}.place_set" if places else "CAST(NULL AS VARCHAR) AS place_set")
    return ", ".join(selected), " ".join(joins)


def _distinct_cells(*columns: str) -> str:
    """SQL: each distinct cell of the staged columns as written (text) and trimmed (value), blank ones left out
    (so a blank cell matches nothing)."""
    cells = " UNION ".join(f"SELECT {c} AS text FROM staged" for c in columns)
    return (
        f"SELECT text, trim(text, '{TRIM}') AS value FROM (SELECT DISTINCT text FROM ({cells})) "
        f"WHERE NOT {blank('text')}"
    )


def _typed(cursor, mapping, ticks) -> None:
    """typed: the staged rows with sector and status codes, dates, numbers and target groups converted, and the
    derived masks and place set."""
    # A plain number converts as it is (spaces around it too); only the others are trimmed and cleaned ('1,200',
    # '£12,500', '5000 GBP '), as cleaning is slower. CASE, not coalesce: only CASE leaves the other rows alone.
    participants = NUMBER_CLEAN["participants"].format(x=f"trim(s.participants, '{TRIM}')")
    investment = NUMBER_CLEAN["investment_gbp"].format(x=f"trim(s.investment_gbp, '{TRIM}')")
    # Dates, sectors and statuses repeat a lot: convert each distinct text once, then join.
    cursor.execute(f"""CREATE OR REPLACE TEMP TABLE date_values AS SELECT text, value, {date_sql("value")} AS day,
        {date_format_sql("value")} AS written_as FROM ({_distinct_cells("start_date", "end_date")})""")
    cursor.execute(f"""CREATE OR REPLACE TEMP TABLE word_values AS
        SELECT 'sector' AS kind, text, value, l.code FROM ({_distinct_cells("sector")}) v
        LEFT JOIN code_lookup l ON l.kind = 'sector' AND l.word = {NORMALISE_SQL.format(x="v.value")}
        UNION ALL SELECT 'status', text, value, l.status FROM ({_distinct_cells("status")}) v
        LEFT JOIN status_lookup l ON l.word = {NORMALISE_SQL.format(x="v.value")}""")
    cursor.execute(f"""CREATE OR REPLACE TEMP TABLE group_values AS SELECT text,
        list_filter(list_transform(string_split_regex(text, '{LIST_SEPARATORS}'), lambda g: trim(g, '{TRIM}')),
                    lambda g: g <> '') AS groups
        FROM (SELECT DISTINCT target_groups AS text FROM staged WHERE target_groups IS NOT NULL)""")
    profile_columns, profile_joins = _profile_sql(mapping, ticks)
    cursor.execute(f"""CREATE OR REPLACE TEMP TABLE typed AS
        SELECT s.row_number, s.activity_id, s.title, s.description, sec.code AS sector,
               sd.day AS start_date, ed.day AS end_date,
               st.code AS status,
               CASE WHEN TRY_CAST(s.participants AS DOUBLE) IS NOT NULL THEN TRY_CAST(s.participants AS DOUBLE)
                    ELSE TRY_CAST({participants} AS DOUBLE) END AS participants_number,
               CASE WHEN TRY_CAST(s.investment_gbp AS DECIMAL(38, 6)) IS NOT NULL
                    THEN TRY_CAST(s.investment_gbp AS DECIMAL(38, 6))
                    ELSE coalesce(TRY_CAST({investment} AS DECIMAL(38, 6)),
                                  TRY_CAST(TRY_CAST({investment} AS DOUBLE) AS DECIMAL(38, 6)))
               END AS investment_number,
               tg.groups AS target_groups, {profile_columns}
        FROM staged s
        {profile_joins}
        LEFT JOIN group_values tg ON tg.text = s.target_groups
        LEFT JOIN word_values sec ON sec.kind = 'sector' AND sec.text = s.sector
        LEFT JOIN word_values st ON st.kind = 'status' AND st.text = s.status
        LEFT JOIN date_values sd ON sd.text = s.start_date
        LEFT JOIN date_values ed ON ed.text = s.end_date""")


def _assumptions(cursor, mapping, ticks, result: Validation) -> None:
    formats = {}
    for name in ("start_date", "end_date"):
        if name in mapping:
            for kind, count in cursor.execute(
                f"SELECT d.written_as, count(*) FROM staged s JOIN date_values d "
                f"ON d.text = s.{name} GROUP BY 1 ORDER BY 2 DESC"
            ).fetchall():
                formats[kind] = formats.get(kind, 0) + count
    result.assumed["date_formats"] = formats
    if ticks:
        result.assumed["tick_box_columns"] = sorted(ticks)
