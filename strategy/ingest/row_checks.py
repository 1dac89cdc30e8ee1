"""The checks every row of an activity file must pass: one function per check, run in the order of ROW_CHECKS.

A check reads the tables validate.py leaves on the cursor and adds each row it refuses to the problems table, with
the partner's column heading, the value as written and what to fix:

- staged: the cells as written (row_number as the spreadsheet numbers it), blank ones NULL;
- typed: the same rows converted (sector and status codes, dates, numbers, aim/way/theme masks, place set);
- cell_pieces, cell_codes: each distinct cell of the list columns split into pieces, and the codes they matched;
- date_values, word_values: each distinct date, sector and status as written and as read.

Each check selects the rows it refuses once, in SQL, so a million rows cost no more than a hundred.

To add a check: write a function taking Rows whose docstring says what it refuses and why, in the words the
partner reads; add it to ROW_CHECKS; add a case to the table in tests/unit/test_ingest_files_refused.py.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from strategy.framework import Framework
from strategy.ingest.cells import TRIM, blank, date_part_sql
from strategy.ingest.columns import COLUMN_NAMES, TICKED, UNTICKED
from strategy.ingest.lookups import LIST_KINDS, how_to_write, suggestion

EARLIEST_YEAR, LATEST_YEAR = 1990, 2100
# 04/25/2024: a month first, then a day that cannot be a month.
MONTH_FIRST = "(0?[1-9]|1[0-2])[/.\\-](1[3-9]|2[0-9]|3[01])[/.\\-]\\d{2,4}"
DATE_HOW = "Write it day first as DD/MM/YYYY (e.g. 25/04/2024), or as 2024-04-25."
CONTROL = "[\\x00-\\x08\\x0b\\x0c\\x0e-\\x1f\\x7f]"  # RE2: control characters but tab, line feed, return
REQUIRED_CELLS = ("activity_id", "title", "sector", "places", "start_date")
DATES = ("start_date", "end_date")
# column -> (its converted column in typed, whether it counts people in whole numbers, how to write it)
NUMBERS = {
    "participants": ("participants_number", True, "a whole number, such as 120 or 1,200"),
    "investment_gbp": ("investment_number", False, "an amount in pounds, such as 12500 or £12,500.00"),
}


@dataclass(frozen=True)
class Rows:
    """The file's rows on the cursor, as the checks see them, and the way a check refuses some of them."""

    cursor: duckdb.DuckDBPyConnection
    framework: Framework
    mapping: dict[str, int]  # column name -> the file's column holding it
    ticks: dict[str, int]  # tick-box code (A1, W2, ...) -> the file's column holding it
    headers: dict[str, str]  # column name or code -> the partner's heading
    may_hold_control_characters: bool = True

    def has(self, name: str) -> bool:
        """Whether the file has the column."""
        return name in self.mapping

    def heading(self, name: str) -> str:
        """The partner's heading for a column or tick-box code (the template's name when there is none)."""
        return self.headers.get(name, name)

    def refuse(self, select: str, name: str, message: str, kind: str) -> None:
        """Add the rows select finds (row_number, value) as problems in the column, all with one message."""
        self.cursor.execute(
            f"INSERT INTO problems SELECT row_number, $column, value, $message, $kind FROM ({select})",
            {"column": self.heading(name), "message": message, "kind": kind},
        )

    def refuse_each(self, select: str, name: str, kind: str) -> None:
        """Add the rows select finds (row_number, value, message) as problems in the column, each with its own
        message."""
        self.cursor.execute(
            f"INSERT INTO problems SELECT row_number, $column, value, message, $kind FROM ({select})",
            {"column": self.heading(name), "kind": kind},
        )


def required_cells_filled(rows: Rows) -> None:
    """Refuses a row with no activity_id, title, sector, places or start_date: "{name} is required and this row
    has none." Without them an activity cannot be matched next time, found in a heatmap or counted in a period."""
    for name in REQUIRED_CELLS:
        if rows.has(name):
            rows.refuse(
                f"SELECT row_number, '' AS value FROM staged WHERE {blank(name)}",
                name,
                f"{name} is required and this row has none. Fill it in, or delete the row if it is not an activity.",
                "missing value",
            )


def has_an_aim(rows: Rows) -> None:
    """Refuses a row that names no aim, in the aims column or by a tick: "Every activity needs at least one aim."
    Alignment is counted by aim, so an activity with none would be missing from every heatmap. (A cell naming only
    aims that do not exist is refused once, as unknown, not twice.)"""
    if not (rows.has("aims") or any(code.startswith("A") for code in rows.ticks)):
        return
    rows.refuse(
        f"SELECT row_number, coalesce(trim(aims, '{TRIM}'), '') AS value FROM staged s "
        "JOIN typed t USING (row_number) WHERE t.aim_mask = 0 AND (s.aims IS NULL OR s.aims NOT IN "
        "(SELECT cell FROM cell_pieces WHERE column_name = 'aims' AND word <> ''))",
        "aims",
        "Every activity needs at least one aim. " + how_to_write(rows.framework, "aim"),
        "missing value",
    )


def names_known(rows: Rows) -> None:
    """Refuses an aim, way of working, theme or place the strategy does not have: "This is not one of the aims"
    (or ways of working, themes, places in the partnership), with the nearest name when one is close. A name
    guessed at would put the activity in the wrong cell. Each distinct value gets one message, so a near miss is
    suggested once and not worked out again for every row."""
    unknown = rows.cursor.execute("""SELECT DISTINCT p.kind, p.column_name, p.cell, p.shown FROM cell_pieces p
        WHERE p.word <> '' AND NOT EXISTS (SELECT 1 FROM cell_codes c WHERE c.column_name = p.column_name
                                           AND c.cell = p.cell AND c.shown = p.shown)""").fetchall()
    if not unknown:
        return
    rows.cursor.execute(
        "CREATE OR REPLACE TEMP TABLE unknown_values (column_name VARCHAR, cell VARCHAR, "
        "shown VARCHAR, message VARCHAR)"
    )
    rows.cursor.executemany(
        "INSERT INTO unknown_values VALUES (?, ?, ?, ?)",
        [(column, cell, shown, unknown_message(rows.framework, kind, shown)) for kind, column, cell, shown in unknown],
    )
    for column in LIST_KINDS:
        if rows.has(column):
            rows.refuse_each(
                "SELECT s.row_number, u.shown AS value, u.message FROM staged s "
                f"JOIN unknown_values u ON u.column_name = '{column}' AND u.cell = s.{column}",
                column,
                "unknown place" if column == "places" else "unknown code",
            )


def places_not_replaced(rows: Rows) -> None:
    """Refuses a place that had been replaced by its successor when the activity started (the message, from the
    framework, names the successor). An activity is counted in the places as they were when it ran."""
    if not (rows.has("places") and any(p.successor for p in rows.framework.places)):
        return
    # The few distinct cells naming a replaced place are found first; only their rows are looked at.
    rows.refuse_each(
        "WITH hits AS (SELECT p.cell, p.shown, r.date_from, r.date_to, r.message FROM cell_pieces p "
        "JOIN replaced_place_lookup r ON r.word = p.word WHERE p.column_name = 'places') "
        "SELECT s.row_number, h.shown AS value, h.message FROM staged s JOIN hits h ON h.cell = s.places "
        "JOIN typed t USING (row_number) WHERE t.start_date >= h.date_from "
        "AND (h.date_to IS NULL OR t.start_date < h.date_to)",
        "places",
        "replaced place",
    )


def sector_known(rows: Rows) -> None:
    """Refuses a sector the strategy does not have ("This is not one of the strategy's sectors", with the nearest
    one), and more than one sector ("Give one sector per activity"): each activity is counted in one sector."""
    unknown = rows.cursor.execute(
        "SELECT text, value FROM word_values WHERE kind = 'sector' AND code IS NULL"
    ).fetchall()
    if not unknown:
        return
    rows.cursor.execute("CREATE OR REPLACE TEMP TABLE unknown_sectors (cell VARCHAR, value VARCHAR, message VARCHAR)")
    rows.cursor.executemany(
        "INSERT INTO unknown_sectors VALUES (?, ?, ?)",
        [(text, value, unknown_message(rows.framework, "sector", value)) for text, value in unknown],
    )
    rows.refuse_each(
        "SELECT s.row_number, u.value, u.message FROM staged s JOIN unknown_sectors u ON u.cell = s.sector",
        "sector",
        "unknown code",
    )


def tick_boxes_ticked_or_empty(rows: Rows) -> None:
    """Refuses anything in a tick-box column (A1, W2, T3, ...) but a tick or an empty cell: "A tick-box column holds
    Y, yes, x, ✓, 1 or true when ticked". Anything else ('maybe', 'tbc') cannot be read as yes or no."""
    ticked = ", ".join(f"'{t}'" for t in TICKED + UNTICKED)
    for code in rows.ticks:
        rows.refuse(
            f"SELECT row_number, tick_{code} AS value FROM staged WHERE tick_{code} IS NOT NULL "
            f"AND lower(tick_{code}) NOT IN ({ticked})",
            code,
            "A tick-box column holds Y, yes, x, ✓, 1 or true when ticked, and is left empty (or N, no, 0) when not.",
            "not a tick",
        )


def _dates(name: str) -> str:
    """SQL: the rows and the distinct dates they hold in the column, each date judged once; a condition follows."""
    return f"SELECT s.row_number, d.value FROM staged s JOIN date_values d ON d.text = s.{name} WHERE"


def dates_are_dates(rows: Rows) -> None:
    """Refuses a start or end date that is not a date, or not one that exists (31/02/2025): "This is not a date".
    The days an activity ran decide which periods its money and participants count in."""
    for name in DATES:
        if rows.has(name):
            rows.refuse(
                f"{_dates(name)} d.day IS NULL AND NOT regexp_full_match({date_part_sql('d.value')}, '{MONTH_FIRST}')",
                name,
                "This is not a date, or not one that exists. " + DATE_HOW,
                "not a date",
            )


def dates_day_first(rows: Rows) -> None:
    """Refuses a date written month first (04/25/2024): "This looks like a month-first (US) date." Dates are read
    day first and never guessed, since 03/04/2024 could be either."""
    for name in DATES:
        if rows.has(name):
            rows.refuse(
                f"{_dates(name)} d.day IS NULL AND regexp_full_match({date_part_sql('d.value')}, '{MONTH_FIRST}')",
                name,
                "This looks like a month-first (US) date. Dates are read day first: "
                "write 25/04/2024 for 25 April 2024.",
                "not a date",
            )


def years_plausible(rows: Rows) -> None:
    """Refuses a date whose year is before 1990 or after 2100: "The year looks wrong". Such a year is a slip (1024
    for 2024) that would stretch an activity over centuries."""
    for name in DATES:
        if rows.has(name):
            rows.refuse(
                f"{_dates(name)} year(d.day) NOT BETWEEN {EARLIEST_YEAR} AND {LATEST_YEAR}",
                name,
                f"The year looks wrong (it should be between {EARLIEST_YEAR} and {LATEST_YEAR}). " + DATE_HOW,
                "not a date",
            )


def ends_after_it_starts(rows: Rows) -> None:
    """Refuses an end date before the start date: "The end date is before the start date." An activity cannot run
    backwards; an ongoing one leaves its end blank."""
    if rows.has("end_date") and rows.has("start_date"):
        rows.refuse(
            f"SELECT s.row_number, trim(s.end_date, '{TRIM}') AS value FROM staged s JOIN typed t "
            "USING (row_number) WHERE t.end_date < t.start_date",
            "end_date",
            "The end date is before the start date. Correct one of them (leave the end blank if ongoing).",
            "end before start",
        )


def status_known(rows: Rows) -> None:
    """Refuses a status other than planned, active, completed or paused (or their synonyms); an empty one is fine.
    Reports count activities by these four."""
    if rows.has("status"):
        rows.refuse(
            "SELECT s.row_number, w.value FROM staged s JOIN word_values w ON w.kind = 'status' "
            "AND w.text = s.status WHERE w.code IS NULL",
            "status",
            "Status must be planned, active, completed or paused (or left empty).",
            "unknown code",
        )


def _numbers(name: str) -> str:
    """SQL: the rows with something in the number column; a condition on t.<converted number> follows."""
    return (
        f"SELECT s.row_number, trim(s.{name}, '{TRIM}') AS value FROM staged s JOIN typed t USING (row_number) "
        f"WHERE NOT {blank('s.' + name)}"
    )


def numbers_are_numbers(rows: Rows) -> None:
    """Refuses participants or investment_gbp that is not a number ('about 50', 'TBC'): "This is not a number". An
    empty cell is fine (not known); commas, spaces and £ or GBP are read."""
    for name, (number, whole, what) in NUMBERS.items():
        if rows.has(name):
            rows.refuse(
                f"{_numbers(name)} AND (t.{number} IS NULL OR NOT isfinite(CAST(t.{number} AS DOUBLE)))",
                name,
                f"This is not a number. Write {what}, or leave it empty if not known.",
                "not a number",
            )


def numbers_not_negative(rows: Rows) -> None:
    """Refuses a negative number of participants or pounds: "This is negative." Neither can be less than 0."""
    for name, (number, whole, what) in NUMBERS.items():
        if rows.has(name):
            rows.refuse(
                f"{_numbers(name)} AND t.{number} < 0",
                name,
                f"This is negative. Write {what} (0 or more).",
                "negative number",
            )


def people_whole(rows: Rows) -> None:
    """Refuses participants that are not a whole number (120.5): "People are counted in whole numbers." Pounds
    may have pence."""
    for name, (number, whole, what) in NUMBERS.items():
        if whole and rows.has(name):
            rows.refuse(
                f"{_numbers(name)} AND t.{number} <> floor(t.{number})",
                name,
                "People are counted in whole numbers. Write 120, not 120.5.",
                "not a whole number",
            )


def numbers_not_too_large(rows: Rows) -> None:
    """Refuses a number of a trillion or more: "This is too large to be right." It is a slip (a date or a
    reference pasted into the cell), and would not fit where amounts are stored."""
    for name, (number, whole, what) in NUMBERS.items():
        if rows.has(name):
            # rounded as it would be stored: 999999999999.995 would not fit
            rows.refuse(
                f"{_numbers(name)} AND round(t.{number}, 2) >= 1e12",
                name,
                "This is too large to be right. Check the number.",
                "number too large",
            )


def activity_ids_unique(rows: Rows) -> None:
    """Refuses every row of an activity_id that appears more than once in the file: "Each activity needs its own
    id". The id is how a return updates an activity; two rows with one id would overwrite each other."""
    if rows.has("activity_id"):
        rows.refuse(
            """SELECT row_number, activity_id AS value FROM (
                 SELECT row_number, activity_id, count(*) OVER (PARTITION BY activity_id) AS copies,
                        list(row_number) OVER (PARTITION BY activity_id ORDER BY row_number
                            ROWS BETWEEN UNBOUNDED PRECEDING AND UNBOUNDED FOLLOWING) AS rows_with_it
                 FROM staged WHERE activity_id IS NOT NULL) WHERE copies > 1""",
            "activity_id",
            "This activity_id appears more than once in the file. Each activity needs its own id: give "
            "one of them a new id, or delete the repeated row.",
            "duplicate id",
        )


def no_control_characters(rows: Rows) -> None:
    """Refuses a cell holding an invisible control character (NUL and the like), shown as �: "This cell holds an
    invisible control character ... that a spreadsheet cannot hold." Nobody means to type one, and an Excel
    export of the cell would fail. Skipped when the file reader knows there can be none."""
    if not rows.may_hold_control_characters:
        return
    columns = [(name, name) for name in COLUMN_NAMES if rows.has(name)]
    columns += [(f"tick_{code}", code) for code in rows.ticks]
    for column, name in columns:
        rows.refuse_each(
            f"SELECT row_number, regexp_replace({column}, '{CONTROL}', '�', 'g') AS value, "
            "'This cell holds an invisible control character (' "
            f"|| printf('U+%04X', unicode(regexp_extract({column}, '{CONTROL}'))) "
            "|| ', shown as �) that a spreadsheet cannot hold. Retype the cell, or delete the character.' "
            f"AS message FROM staged WHERE regexp_matches({column}, '{CONTROL}')",
            name,
            "control character",
        )


# Run in this order by validate(); every check runs, so the partner sees every problem at once.
ROW_CHECKS = (
    required_cells_filled,
    has_an_aim,
    names_known,
    places_not_replaced,
    sector_known,
    tick_boxes_ticked_or_empty,
    dates_are_dates,
    dates_day_first,
    years_plausible,
    ends_after_it_starts,
    status_known,
    numbers_are_numbers,
    numbers_not_negative,
    people_whole,
    numbers_not_too_large,
    activity_ids_unique,
    no_control_characters,
)


def unknown_message(framework: Framework, kind: str, piece: str) -> str:
    """What to say about a name the strategy does not have: what it should be, and the nearest one if close."""
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
