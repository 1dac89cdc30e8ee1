"""Reporting rounds: opening a round, who has returned, reminders, and each partner's pre-filled return."""

from strategy.rounds.returns import CHANGE_KINDS, prefilled_return, return_file_name
from strategy.rounds.round import (
    LATE,
    NOT_STARTED,
    RETURNED,
    RoundProblem,
    list_rounds,
    open_round,
    record_reminder,
    reminder_text,
    round_status,
)

__all__ = [
    "CHANGE_KINDS",
    "LATE",
    "NOT_STARTED",
    "RETURNED",
    "RoundProblem",
    "list_rounds",
    "open_round",
    "prefilled_return",
    "record_reminder",
    "reminder_text",
    "return_file_name",
    "round_status",
]
