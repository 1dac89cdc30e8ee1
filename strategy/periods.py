"""Money and participants over time: what "today" is, and the rule in words for captions and footers.

The rule itself lives once in SQL (run_end() and period_share() in strategy/sql/views_and_macros.sql): with a period
chosen, an activity's investment and participants count in proportion to the days of its run that fall in the
period, both ends inclusive, so per-period figures add up to the total. An activity with no end date is running
until it ends, so its run reaches today and its money is spread evenly from its start to today.
"""

from __future__ import annotations

import os
from datetime import date

# Set to a date (YYYY-MM-DD) to work every figure out as on that day: to reproduce a board pack made earlier, or
# to give tests a fixed day. Unset (the normal case), today is the computer's date.
TODAY_VARIABLE = "STRATEGY_TODAY"

PERIOD_RULE = (
    "With a period chosen, an activity's investment and participants count in proportion to the days of "
    "its run that fall in the period, so per-period figures add up to the total."
)
OPEN_ENDED_RULE = (
    "An activity with no end date is running up to today; its money and participants are spread "
    "evenly from its start to today, so older periods' shares shrink a little as time passes."
)


# The rule in one line, for footers and tiles.
SHORT_RULE = (
    "Money and participants in a period are each activity's share by days of its run in it "
    "(no end date: running to today)."
)


def today() -> date:
    """The day figures are worked out on: $STRATEGY_TODAY when set, else the computer's date.

    ValueError, saying what to write, when the variable is set but is not a date."""
    text = os.environ.get(TODAY_VARIABLE, "").strip()
    if not text:
        return date.today()
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise ValueError(
            f"{TODAY_VARIABLE}={text!r} is not a date: write it as YYYY-MM-DD, or unset it to use today's date"
        ) from None


def govuk_date(value: date | str) -> str:
    """A date as GOV.UK writes it: '29 November 2026' (an ISO date string is read first)."""
    day = date.fromisoformat(value[:10]) if isinstance(value, str) else value
    return f"{day.day} {day:%B %Y}"


def day_and_month(value: date) -> str:
    """A day in a year already named, as GOV.UK writes it: '30 November'."""
    return f"{value.day} {value:%B}"


def counting_rule() -> str:
    """The period rule and the open-ended rule, as one caption."""
    return f"{PERIOD_RULE} {OPEN_ENDED_RULE}"
