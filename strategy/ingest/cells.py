"""SQL for reading one cell of an activity file: trimming, blank cells and dates.

Shared by validate.py (staging and converting the rows) and row_checks.py (refusing the rows that cannot be read).
"""

from __future__ import annotations

TRIM = " \t\r\n\u00a0"


def clean(column: str) -> str:
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
