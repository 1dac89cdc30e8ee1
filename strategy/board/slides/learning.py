"""The learning slides: the experiments register and the commitments, drawn as tables."""

from __future__ import annotations

from datetime import date

import pandas as pd

from strategy import charts
from strategy.board.slides.common import PackContext, Slide, human_header
from strategy.periods import govuk_date


def _learning_slide(context: PackContext, title: str, key: str) -> Slide | None:
    from strategy.learning.exports import board_pack_sections

    section = next(
        (
            s
            for s in board_pack_sections(context.con, context.framework, context.filters, context.today)
            if s.title == title
        ),
        None,
    )
    if section is None:
        return None
    figure = charts.table_figure(readable_table(section.table.head(10)), title, context.source)
    return Slide(
        key,
        title,
        section.headline,
        figure,
        section.table,
        section.headline,
        context.source,
        context.caveat("From the learning workspace."),
    )


def readable_table(table: pd.DataFrame) -> pd.DataFrame:
    """A list as a person reads it: headings in words ('Lead partner'), dates as GOV.UK writes them."""
    shown = table.copy()
    for column in shown.columns:
        if (
            pd.api.types.is_datetime64_any_dtype(shown[column])
            or shown[column].map(lambda v: isinstance(v, date)).any()
        ):
            shown[column] = [govuk_date(pd.Timestamp(v).date()) if pd.notna(v) else "" for v in shown[column]]
    return shown.rename(columns=human_header)


def experiments_slide(context: PackContext) -> Slide | None:
    return _learning_slide(context, "Safe-to-fail experiments", "experiments")


def commitments_slide(context: PackContext) -> Slide | None:
    return _learning_slide(context, "Commitments", "commitments")
