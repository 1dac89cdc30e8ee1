"""Answers the learning pages and the decision form share across sessions: the pinned resident quotes and what a
recorded decision may concern."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from strategy import periods
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.ui.data import (
    CACHE_ENTRIES,
    CACHE_TTL_SECONDS,
    cleared_when_data_changes,
    connection,
    data_version,
    database_file,
    database_trouble_shown,
)


def pinned_quotes_for(filters: Filters, aims: tuple[str, ...] = (), places: tuple[str, ...] = ()) -> pd.DataFrame:
    """Resident quotes pinned to any of the aims and places (strategy.learning.empathy.quotes_for), cached like
    answer(): the learning pages' writes clear it."""
    with database_trouble_shown():
        return _quotes(database_file(), data_version(), filters, tuple(aims), tuple(places))


@st.cache_data(show_spinner=False, ttl=CACHE_TTL_SECONDS, max_entries=CACHE_ENTRIES)
def _quotes(
    database: str, version: int, filters: Filters, aims: tuple[str, ...], places: tuple[str, ...]
) -> pd.DataFrame:
    from strategy.learning.empathy import quotes_for

    return quotes_for(
        connection(database), load_framework(), filters, aims=list(aims) or None, places=list(places) or None
    )


def decision_choices() -> tuple[dict, dict]:
    """What a recorded decision may concern: {experiment_id: title} and {reflection_id: commitment}, every one of
    each (newest experiments first, most urgent commitments first), shared by every session until data changes.
    The "Record a decision" form is on most pages, and asking for both lists was a third of a warm Overview."""
    with database_trouble_shown():
        return _decision_choices(database_file(), data_version(), periods.today())


@cleared_when_data_changes
@st.cache_resource(show_spinner=False, max_entries=4)
def _decision_choices(database: str, version: int, today: date) -> tuple[dict, dict]:
    from strategy.learning.commitments import commitments
    from strategy.learning.experiments import experiments

    con, framework = connection(database), load_framework()
    found = experiments(con, framework, Filters())
    promised = commitments(con, framework, Filters(), today)
    return (
        dict(zip(found.experiment_id.tolist(), found.title.tolist())),
        dict(zip(promised.reflection_id.tolist(), promised.commitment.tolist())),
    )
