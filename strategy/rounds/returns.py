"""A partner's pre-filled return: their current activities in the Excel template (drop-down lists kept), so a
volunteer updates dates, numbers and status instead of typing again what the partnership already holds; and what a
checked return would change, activity by activity.

Every value is written so that the file, uploaded unchanged, stores exactly the same activities: sector, aims, ways
of working and themes by the names the drop-downs offer (a code where a name holds a list separator), places by
name, dates as dates, money and participants as numbers.
"""

from __future__ import annotations

import re
from datetime import date

import duckdb
import pandas as pd

from strategy import db, periods
from strategy.access import User, require
from strategy.framework import Framework, load_framework
from strategy.ingest.columns import COLUMN_NAMES, LIST_SEPARATORS
from strategy.ingest.template import template_xlsx
from strategy.names import name_key

# The kinds of change a return makes, in the order the preview lists them (see return_changes.sql).
CHANGE_KINDS = ("new", "ended", "changed", "not in this return", "unchanged")
CHANGES_LISTED = 1000
DOWNLOAD_RETURN = "download pre-filled return"


def current_activities(con: duckdb.DuckDBPyConnection, actor: User, partner: str) -> pd.DataFrame:
    """A partner's current activities with codes (partner_current_activities.sql). A partner: their own only."""
    _may_see(actor, partner)
    return db.query(con, "partner_current_activities", partner_key=name_key(partner))


def prefilled_return(
    con: duckdb.DuckDBPyConnection,
    actor: User,
    partner: str,
    framework: Framework | None = None,
    round_name: str | None = None,
    today: date | None = None,
    with_count: bool = False,
) -> bytes | tuple[bytes, int]:
    """The Excel template with the partner's current activities filled in, one row each, drop-down lists and guide
    kept; the Guide says whose activities they are, as on which day, and what to do. with_count: (the file, how
    many activities it holds)."""
    framework = framework or load_framework()
    activities = current_activities(con, actor, partner)
    today = today or periods.today()
    rows = [return_row(framework, a) for a in activities.itertuples(index=False)]
    note = (
        f"Pre-filled on {today:%d/%m/%Y} with the {len(rows):,} current activit{'y' if len(rows) == 1 else 'ies'} "
        f"of {partner}" + (f" for the {round_name} reporting round" if round_name else "") + ". Update dates, "
        "numbers and status; give an end date to an activity that has finished; add a row for each new "
        "activity (a new activity_id). Keep each activity_id as it is: it is how the upload knows the activity. "
        "A row you delete is kept as it was, not removed."
    )
    data = template_xlsx(framework, rows=rows, note=note)
    return (data, len(rows)) if with_count else data


def return_file_name(partner: str, round_name: str | None = None) -> str:
    """e.g. 'return-2026-27-q2-mansfield-community-trust.xlsx'."""
    words = "-".join(w for w in (round_name, partner) if w)
    return "return-" + (re.sub(r"[^a-z0-9]+", "-", words.lower()).strip("-") or "partner") + ".xlsx"


def return_row(framework: Framework, activity) -> list:
    """One activity as a row of the template's Activities sheet, in COLUMN_NAMES order."""
    values = {
        "activity_id": activity.activity_id,
        "title": activity.title,
        "description": _blank(activity.description),
        "sector": framework.label("sector", activity.sector),
        "places": _places(framework, activity.places),
        "aims": _names(framework, "aim", activity.aims),
        "ways_of_working": _names(framework, "way", activity.ways_of_working),
        "themes": _names(framework, "theme", activity.themes),
        "start_date": _day(activity.start_date),
        "end_date": _day(activity.end_date),
        "status": _blank(activity.status),
        "participants": None if pd.isna(activity.participants) else int(activity.participants),
        "investment_gbp": None if pd.isna(activity.investment_gbp) else activity.investment_gbp,
        "target_groups": "; ".join(activity.target_groups) or None,
    }
    return [values[name] for name in COLUMN_NAMES]


def _names(framework: Framework, kind: str, codes) -> str | None:
    """The drop-down's names for the codes; each code alone where its name holds a list separator (';' ',' '|'),
    since that name would be read as several."""
    codes = list(codes)
    if not codes:
        return None
    shown = []
    for code in codes:
        name = framework.item(kind, code).short
        shown.append(code if re.search(LIST_SEPARATORS, name) else name)
    return "; ".join(shown)


def _places(framework: Framework, codes) -> str:
    """The stored places by name, as a partner would write them: 'All' for every local area, a county's name for
    all of its districts, else each place (the upload expands them back to the same places)."""
    remaining = set(codes)
    if remaining == {p.code for p in framework.local_places()}:
        return "All"
    names = []
    for county in framework.counties():
        within = set(framework.places_within(county.code)) - {county.code}
        if within and within <= remaining:
            names.append(county.name)
            remaining -= within
    return "; ".join(names + [_place_name(framework, code) for code in codes if code in remaining])


def _place_name(framework: Framework, code: str) -> str:
    try:
        name = framework.place(code).name
    except StopIteration:  # not in the framework: the code itself is accepted
        return code
    return code if re.search(LIST_SEPARATORS, name) else name


def _blank(value):
    return None if value is None or (isinstance(value, float) and pd.isna(value)) or value == "" else value


def _day(value) -> date | None:
    return None if value is None or pd.isna(value) else pd.Timestamp(value).date()


def return_changes(
    cursor: duckdb.DuckDBPyConnection, partner: str, today: date | None = None
) -> tuple[pd.DataFrame, dict[str, int]]:
    """What the checked rows on this cursor (the table typed) change for the partner: the first CHANGES_LISTED
    activities by kind of change, and how many of each kind (every kind in CHANGE_KINDS, zeros included)."""
    sql = db.sql_text("return_changes")
    changes = cursor.execute(
        sql, db.bound_parameters(sql, {"partner": partner, "today": today or periods.today()})
    ).df()
    counts = dict.fromkeys(CHANGE_KINDS, 0)
    counts.update({str(kind): int(n) for kind, n in changes["change"].value_counts().items()})
    return changes.head(CHANGES_LISTED).reset_index(drop=True), counts


def _may_see(actor: User, partner: str) -> None:
    """A partner's return is theirs and the round's leaders' (analysts, admins); viewers see none."""
    require(actor, "see_round_status", partner)


def record_download(con: duckdb.DuckDBPyConnection, actor: User, partner: str, round_name: str | None = None) -> None:
    """Log that someone took a partner's pre-filled return (it holds the partner's activities)."""
    _may_see(actor, partner)
    with db.transaction(con) as cursor:
        db.audit(cursor, actor, DOWNLOAD_RETURN, f"{partner}" + (f" for {round_name}" if round_name else ""))
