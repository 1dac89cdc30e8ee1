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
from strategy.ingest.columns import (
    COLUMN_NAMES,
    HEADER_NAMES,
    LIST_SEPARATORS,
    REQUIRED,
    TICKED,
    UNTICKED,
    header_key,
    match_header,
)
from strategy.ingest.lookups import LIST_KINDS, NORMALISE_SQL, create_lookup_tables, how_to_write, suggestion
from strategy.ingest.read import RawTable
from strategy.ingest.report import Limits, Problem

TRIM = " \t\r\n\u00a0"
EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
# 04/25/2024: a month first, then a day that cannot be a month.
MONTH_FIRST = "(0?[1-9]|1[0-2])[/.\\-](1[3-9]|2[0-9]|3[01])[/.\\-]\\d{2,4}"
DATE_HOW = "Write it day first as DD/MM/YYYY (e.g. 25/04/2024), or as 2024-04-25."
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


def _clean(column: str) -> str:
    """SQL: the cell without surrounding white space, NULL when blank (the custom-character trim only when needed,
    as it is several times slower than the plain one)."""
    return (
        f"NULLIF(CASE WHEN regexp_matches({column}, '^[\\s\u00a0]|[\\s\u00a0]$') "
        f"THEN trim({column}, '{TRIM}') ELSE {column} END, '')"
    )


def blank(cell: str) -> str:
    """SQL: whether a cell staged as written is empty or only spaces. Cheap for a cell that has text: only one
    starting with a space or control character (or a no-break space) is trimmed to see."""
    return (
        f"({cell} IS NULL OR (({cell} < '!' OR {cell} BETWEEN '\u00a0' AND '\u00a1') AND trim({cell}, '{TRIM}') = ''))"
    )


# A time of day after a date (Excel's date-time cells written out as text: '01/03/2025 00:00', '2025-03-01T09:30'):
# the date is read and the time ignored.
TIME_OF_DAY = "[ tT]\\d{1,2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(\\s?[aApP][mM])?"
WEEKDAY = "^(mon|tue|wed|thu|fri|sat|sun)[a-z]* "


def date_part_sql(x: str) -> str:
    """SQL: the text x without surrounding spaces and without a time of day after the date."""
    return f"regexp_replace(trim({x}, '{TRIM}'), '{TIME_OF_DAY}$', '')"


def date_sql(x: str) -> str:
    """SQL turning the text x into a DATE, for every layout that cannot be misread: ISO (2025-03-01, 2025/03/01,
    2025.03.01), day-first numbers (01/03/2025, 1.3.25), a month name either side of the day ('1 March 2025',
    '01-Mar-25', '1st Mar. 2025', 'March 1, 2025'), with or without a weekday (checked against the date) and a
    time of day (ignored), or an Excel serial number. Month-first numbers are never guessed."""
    d = date_part_sql(x)
    # month names: lower case, ordinals and punctuation to spaces, one space between words
    words = (
        f"trim(regexp_replace(regexp_replace(regexp_replace(lower({d}), '(\\d)(st|nd|rd|th)\\b|[.,\\-/]', "
        f"'\\1 ', 'g'), 'sept', 'sep'), '\\s+', ' ', 'g'))"
    )
    rest = f"regexp_replace({words}, '{WEEKDAY}', '')"
    named = f"""CASE
            WHEN regexp_full_match({rest}, '\\d{{1,2}} [a-z]{{3,9}} \\d{{4}}')
                THEN try_strptime({rest}, ['%d %b %Y', '%d %B %Y'])
            WHEN regexp_full_match({rest}, '\\d{{1,2}} [a-z]{{3,9}} \\d{{2}}')
                THEN try_strptime({rest}, ['%d %b %y', '%d %B %y'])
            WHEN regexp_full_match({rest}, '[a-z]{{3,9}} \\d{{1,2}} \\d{{4}}')
                THEN try_strptime({rest}, ['%b %d %Y', '%B %d %Y'])
        END"""
    weekday = f"regexp_extract({words}, '{WEEKDAY}', 1)"
    return f"""CAST(CASE
        WHEN regexp_full_match({x}, '\\d{{5}}(\\.0+)?') THEN DATE '1899-12-30' + CAST(CAST({x} AS DOUBLE) AS INTEGER)
        WHEN regexp_full_match({d}, '\\d{{4}}[\\-/.]\\d{{1,2}}[\\-/.]\\d{{1,2}}')
            THEN try_strptime(regexp_replace({d}, '[/.]', '-', 'g'), '%Y-%m-%d')
        WHEN regexp_full_match({d}, '\\d{{1,2}}[/.\\-]\\d{{1,2}}[/.\\-]\\d{{4}}')
            THEN try_strptime(regexp_replace({d}, '[.\\-]', '/', 'g'), '%d/%m/%Y')
        WHEN regexp_full_match({d}, '\\d{{1,2}}[/.\\-]\\d{{1,2}}[/.\\-]\\d{{2}}')
            THEN try_strptime(regexp_replace({d}, '[.\\-]', '/', 'g'), '%d/%m/%y')
        WHEN regexp_matches({d}, '(?i)[a-z]{{3}}')
            THEN CASE WHEN {weekday} = '' OR lower(strftime({named}, '%a')) = left({weekday}, 3) THEN {named} END
        END AS DATE)"""


def date_format_sql(x: str) -> str:
    """SQL naming the way a date was written, for the report's 'assumed' section."""
    d = date_part_sql(x)
    return f"""CASE
        WHEN regexp_full_match({x}, '\\d{{5}}(\\.0+)?') THEN 'Excel serial number'
        WHEN regexp_full_match({d}, '\\d{{4}}[\\-/.]\\d{{1,2}}[\\-/.]\\d{{1,2}}') THEN 'YYYY-MM-DD'
        WHEN regexp_full_match({d}, '\\d{{1,2}}[/.\\-]\\d{{1,2}}[/.\\-]\\d{{2,4}}') THEN 'DD/MM/YYYY (day first)'
        ELSE 'day, month name, year' END"""


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
    _row_problems(cursor, framework, mapping, ticks, result)
    if raw.may_hold_control_characters():
        _control_character_problems(cursor, mapping, ticks, result)
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
        return f"{_clean(f'c{index}')} AS {name}" if name in TRIMMED_ON_STAGING else f"NULLIF(c{index}, '') AS {name}"

    selected = [staged(n, mapping[n]) if n in mapping else f"CAST(NULL AS VARCHAR) AS {n}" for n in COLUMN_NAMES]
    selected += [f"{_clean(f'c{i}')} AS tick_{code}" for code, i in ticks.items()]
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


def _problem(cursor, select: str, column: str, message: str, kind: str, own_message: bool = False) -> None:
    """Insert the rows a check selects (row_number, value[, message]) as problems with the given message."""
    if own_message:
        cursor.execute(
            f"INSERT INTO problems SELECT row_number, $column, value, message, $kind FROM ({select})",
            {"column": column, "kind": kind},
        )
    else:
        cursor.execute(
            f"INSERT INTO problems SELECT row_number, $column, value, $message, $kind FROM ({select})",
            {"column": column, "message": message, "kind": kind},
        )


def _row_problems(cursor, framework: Framework, mapping, ticks, result: Validation) -> None:
    header = {name: result.headers.get(name, name) for name in COLUMN_NAMES}
    for name in ("activity_id", "title", "sector", "places", "start_date"):
        if name in mapping:
            _problem(
                cursor,
                f"SELECT row_number, '' AS value FROM staged WHERE {blank(name)}",
                header[name],
                f"{name} is required and this row has none. Fill it in, or delete the row if it is not an activity.",
                "missing value",
            )
    aim_columns = "aims" in mapping or any(c.startswith("A") for c in ticks)
    if aim_columns:
        _problem(
            cursor,
            f"SELECT row_number, coalesce(trim(aims, '{TRIM}'), '') AS value FROM staged s "
            "JOIN typed t USING (row_number) WHERE t.aim_mask = 0 AND (s.aims IS NULL OR s.aims NOT IN "
            "(SELECT cell FROM cell_pieces WHERE column_name = 'aims' AND word <> ''))",
            header["aims"],
            "Every activity needs at least one aim. " + how_to_write(framework, "aim"),
            "missing value",
        )
    # Unknown names and codes: one message per distinct value, so near misses get a suggestion.
    unknown = cursor.execute("""SELECT DISTINCT p.kind, p.column_name, p.cell, p.shown FROM cell_pieces p
        WHERE p.word <> '' AND NOT EXISTS (SELECT 1 FROM cell_codes c WHERE c.column_name = p.column_name
                                           AND c.cell = p.cell AND c.shown = p.shown)""").fetchall()
    if unknown:
        cursor.execute(
            "CREATE OR REPLACE TEMP TABLE unknown_values (column_name VARCHAR, cell VARCHAR, "
            "shown VARCHAR, message VARCHAR)"
        )
        cursor.executemany(
            "INSERT INTO unknown_values VALUES (?, ?, ?, ?)",
            [(column, cell, shown, _unknown_message(framework, kind, shown)) for kind, column, cell, shown in unknown],
        )
        for column in LIST_KINDS:
            if column in mapping:
                _problem(
                    cursor,
                    "SELECT s.row_number, u.shown AS value, u.message FROM staged s "
                    f"JOIN unknown_values u ON u.column_name = '{column}' AND u.cell = s.{column}",
                    header[column],
                    "",
                    "unknown place" if column == "places" else "unknown code",
                    own_message=True,
                )
    if "places" in mapping and any(p.successor for p in framework.places):
        # A place replaced by a successor cannot be named for an activity starting after the change. The few
        # distinct cells naming one are found first; only their rows are looked at.
        _problem(
            cursor,
            "WITH hits AS (SELECT p.cell, p.shown, r.date_from, r.date_to, r.message FROM cell_pieces p "
            "JOIN replaced_place_lookup r ON r.word = p.word WHERE p.column_name = 'places') "
            "SELECT s.row_number, h.shown AS value, h.message FROM staged s JOIN hits h ON h.cell = s.places "
            "JOIN typed t USING (row_number) WHERE t.start_date >= h.date_from "
            "AND (h.date_to IS NULL OR t.start_date < h.date_to)",
            header["places"],
            "",
            "replaced place",
            own_message=True,
        )
    unknown_sectors = cursor.execute(
        "SELECT text, value FROM word_values WHERE kind = 'sector' AND code IS NULL"
    ).fetchall()
    if unknown_sectors:
        cursor.execute("CREATE OR REPLACE TEMP TABLE unknown_sectors (cell VARCHAR, value VARCHAR, message VARCHAR)")
        cursor.executemany(
            "INSERT INTO unknown_sectors VALUES (?, ?, ?)",
            [(text, value, _unknown_message(framework, "sector", value)) for text, value in unknown_sectors],
        )
        _problem(
            cursor,
            "SELECT s.row_number, u.value, u.message FROM staged s JOIN unknown_sectors u ON u.cell = s.sector",
            header["sector"],
            "",
            "unknown code",
            own_message=True,
        )
    ticked = ", ".join(f"'{t}'" for t in TICKED + UNTICKED)
    for code in ticks:
        _problem(
            cursor,
            f"SELECT row_number, tick_{code} AS value FROM staged WHERE tick_{code} IS NOT NULL "
            f"AND lower(tick_{code}) NOT IN ({ticked})",
            result.headers.get(code, code),
            "A tick-box column holds Y, yes, x, ✓, 1 or true when ticked, and is left empty (or N, no, 0) when not.",
            "not a tick",
        )
    for name in ("start_date", "end_date"):
        if name not in mapping:
            continue
        # each distinct date is judged once; the rows holding a wrong one are found by a join
        dates = f"SELECT s.row_number, d.value FROM staged s JOIN date_values d ON d.text = s.{name} WHERE"
        _problem(
            cursor,
            f"{dates} d.day IS NULL AND NOT regexp_full_match({date_part_sql('d.value')}, '{MONTH_FIRST}')",
            header[name],
            "This is not a date, or not one that exists. " + DATE_HOW,
            "not a date",
        )
        _problem(
            cursor,
            f"{dates} d.day IS NULL AND regexp_full_match({date_part_sql('d.value')}, '{MONTH_FIRST}')",
            header[name],
            "This looks like a month-first (US) date. Dates are read day first: write 25/04/2024 for 25 April 2024.",
            "not a date",
        )
        _problem(
            cursor,
            f"{dates} year(d.day) NOT BETWEEN {EARLIEST_YEAR} AND {LATEST_YEAR}",
            header[name],
            f"The year looks wrong (it should be between {EARLIEST_YEAR} and {LATEST_YEAR}). " + DATE_HOW,
            "not a date",
        )
    if "end_date" in mapping and "start_date" in mapping:
        _problem(
            cursor,
            f"SELECT s.row_number, trim(s.end_date, '{TRIM}') AS value FROM staged s JOIN typed t "
            "USING (row_number) WHERE t.end_date < t.start_date",
            header["end_date"],
            "The end date is before the start date. Correct one of them (leave the end blank if ongoing).",
            "end before start",
        )
    if "status" in mapping:
        _problem(
            cursor,
            "SELECT s.row_number, w.value FROM staged s JOIN word_values w ON w.kind = 'status' "
            "AND w.text = s.status WHERE w.code IS NULL",
            header["status"],
            "Status must be planned, active, completed or paused (or left empty).",
            "unknown code",
        )
    if "participants" in mapping:
        _number_problems(cursor, "participants", "participants_number", header["participants"], whole=True)
    if "investment_gbp" in mapping:
        _number_problems(cursor, "investment_gbp", "investment_number", header["investment_gbp"], whole=False)
    if "activity_id" in mapping:
        _problem(
            cursor,
            """SELECT row_number, activity_id AS value FROM (
                 SELECT row_number, activity_id, count(*) OVER (PARTITION BY activity_id) AS copies,
                        list(row_number) OVER (PARTITION BY activity_id ORDER BY row_number
                            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS rows_with_it
                 FROM staged WHERE activity_id IS NOT NULL) WHERE copies > 1""",
            header["activity_id"],
            "This activity_id appears more than once in the file. Each activity needs its own id: give "
            "one of them a new id, or delete the repeated row.",
            "duplicate id",
        )


CONTROL = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]"  # RE2: control characters but tab, line feed, return


def _control_character_problems(cursor, mapping, ticks, result: Validation) -> None:
    """Cells holding an invisible control character (NUL and the like): refused with their row and column, as
    spreadsheets cannot hold them (an Excel export of one fails) and nobody means to type them. The value is
    shown with each one as �."""
    columns = [(name, result.headers.get(name, name)) for name in COLUMN_NAMES if name in mapping]
    columns += [(f"tick_{code}", result.headers.get(code, code)) for code in ticks]
    for column, header in columns:
        _problem(
            cursor,
            f"SELECT row_number, regexp_replace({column}, '{CONTROL}', '�', 'g') AS value, "
            "'This cell holds an invisible control character (' "
            f"|| printf('U+%04X', unicode(regexp_extract({column}, '{CONTROL}'))) "
            "|| ', shown as �) that a spreadsheet cannot hold. Retype the cell, or delete the character.' "
            f"AS message FROM staged WHERE regexp_matches({column}, '{CONTROL}')",
            header,
            "",
            "control character",
            own_message=True,
        )


def _number_problems(cursor, name: str, number: str, column: str, whole: bool) -> None:
    what = "a whole number, such as 120 or 1,200" if whole else "an amount in pounds, such as 12500 or £12,500.00"
    base = (
        f"SELECT s.row_number, trim(s.{name}, '{TRIM}') AS value FROM staged s JOIN typed t USING (row_number) "
        f"WHERE NOT {blank('s.' + name)}"
    )
    _problem(
        cursor,
        f"{base} AND (t.{number} IS NULL OR NOT isfinite(CAST(t.{number} AS DOUBLE)))",
        column,
        f"This is not a number. Write {what}, or leave it empty if not known.",
        "not a number",
    )
    _problem(
        cursor, f"{base} AND t.{number} < 0", column, f"This is negative. Write {what} (0 or more).", "negative number"
    )
    if whole:
        _problem(
            cursor,
            f"{base} AND t.{number} <> floor(t.{number})",
            column,
            "People are counted in whole numbers. Write 120, not 120.5.",
            "not a whole number",
        )
    # rounded as it would be stored: 999999999999.995 would not fit
    _problem(
        cursor,
        f"{base} AND round(t.{number}, 2) >= 1e12",
        column,
        "This is too large to be right. Check the number.",
        "number too large",
    )


def _unknown_message(framework: Framework, kind: str, piece: str) -> str:
    if kind == "sector":
        if any(separator in piece for separator in ";|"):
            return (
                "Give one sector per activity. "
                + how_to_write(framework, "sector")
                + suggestion(framework, kind, piece)
            )
        return (
            "This is not one of the strategy's sectors. "
            + how_to_write(framework, "sector")
            + suggestion(framework, kind, piece)
        )
    names = {"aim": "aims", "way": "ways of working", "theme": "themes", "place": "places in the partnership"}
    return (
        f"This is not one of the {names[kind]}. " + how_to_write(framework, kind) + suggestion(framework, kind, piece)
    )


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
