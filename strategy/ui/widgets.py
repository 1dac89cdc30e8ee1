"""Blocks the pages share: a chart with its summary, downloads and table; headline indicator tiles; money."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from strategy import images, periods
from strategy.charts import screen_figure
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.indicators import trends
from strategy.ui import selection
from strategy.ui.data import (
    FIGURE_ENTRIES,
    cached_answer,
    cleared_when_data_changes,
    data_version,
    database_file,
    database_trouble_shown,
)
from strategy.ui.text import plain


def chart_block(
    fig: go.Figure,
    summary: str,
    table: pd.DataFrame | pa.Table,
    key: str,
    targets: selection.Targets | None = None,
    on_pick=None,
    hint: str = "",
    shown: go.Figure | None = None,
) -> None:
    """A chart with its one-sentence summary, PNG and SVG downloads, and a table view of the same numbers.

    The summary sits directly under the chart (screen readers reach it next) and is the alt text of every
    exported image. Images are drawn only when a download is clicked, then cached by the figure.
    A clickable chart (strategy/ui/selection.py) gets `targets` (what its points stand for) and `on_pick` (what a
    click does: selection.narrow_filters, or a page's own act) and says so in `hint`; `shown` is the figure drawn
    on screen when it differs from the one downloaded (a heatmap's click layer), already made for the screen.
    """
    with st.container(key=f"chart_{key}"):
        clickable = bool(targets) and on_pick is not None
        if clickable and on_pick is selection.narrow_filters:
            selection.undo_button(st.session_state.get("filters"), key=f"{key}_undo", chart=key)
        # the screen copy follows the viewer's light or dark theme; downloads keep the white original.
        # scrollZoom off: a map otherwise zooms out when the reader scrolls the page past it
        st.plotly_chart(
            shown or screen_copy(fig),
            key=key,
            alt=summary,
            theme="streamlit",
            config={"displaylogo": False, "scrollZoom": False, "toImageButtonOptions": {"format": "png", "scale": 2}},
            **(
                {"on_select": selection.on_click(key, targets, on_pick), "selection_mode": "points"}
                if clickable
                else {}
            ),
        )
        st.caption(plain(summary) + (f" {hint}" if clickable and hint else ""))
        downloads = st.container(horizontal=True, gap="small")
        missing = images.unavailable_reason()  # Chromium draws the images: say so rather than fail on the click
        downloads.download_button(
            "Download PNG",
            data=lambda: images.figure_image(fig, "png"),
            file_name=f"{key}.png",
            mime="image/png",
            key=f"{key}_png",
            on_click="ignore",
            icon=":material/image:",
            help=missing or "The chart as a picture, for documents and slides",
            disabled=bool(missing),
        )
        downloads.download_button(
            "Download SVG",
            data=lambda: images.figure_image(fig, "svg"),
            file_name=f"{key}.svg",
            mime="image/svg+xml",
            key=f"{key}_svg",
            on_click="ignore",
            icon=":material/draw:",
            help=missing or "The chart as a scalable drawing, for print",
            disabled=bool(missing),
        )
        with st.expander("Show as table"):
            st.dataframe(table, hide_index=True, width="stretch")


def screen_copy(fig: go.Figure) -> go.Figure:
    """charts.screen_figure(fig), made once per figure and kept with it: the figures pages draw are mostly shared
    by every session (strategy.ui.data.figure, heatmap_view), and copying one (a map holds every boundary) was a
    third of a warm page run. A figure is not changed once it has been drawn."""
    shown = fig.__dict__.get("_screen_copy")
    if shown is None:
        shown = screen_figure(fig)
        fig._screen_copy = shown  # plotly lets private attributes through
    return shown


DELTA_COLOURS = {"higher_is_better": "normal", "lower_is_better": "inverse"}


def headline_rows_of(place_code: str) -> pd.DataFrame:
    """The headline indicators' rows of one place. They depend only on the place they describe: every place's are
    computed together once (one place at a time, they were most of a first Overview's time under load), and each
    place's rows are picked out once and shared by every session until data changes (picking them out on every run
    was a twentieth of a warm Overview). Callers must not change what they get."""
    with database_trouble_shown():
        return _headline_rows_of(database_file(), data_version(), periods.today(), place_code)


@cleared_when_data_changes
@st.cache_resource(show_spinner=False, max_entries=FIGURE_ENTRIES)
def _headline_rows_of(database: str, version: int, today: date, place_code: str) -> pd.DataFrame:
    every_place = cached_answer(database, version, today, trends.headline_indicators_by_place, Filters())
    if every_place.empty:
        return every_place
    return every_place[every_place.place_code == place_code].reset_index(drop=True)


def headline_indicator_tiles(filters: Filters) -> None:
    """Metric tiles of the headline indicators for the filtered place: latest value, change since the previous
    period (green when it moved the good way, by the indicator's polarity), comparison and trend in the help."""
    from strategy.indicators.trends import headline_place

    table = headline_rows_of(headline_place(load_framework(), filters))
    if table.empty:  # no headline indicator has values for the place yet
        return
    place = table.place_name.iloc[0]
    st.markdown(
        f"**Population indicators: {place}**"
        + (
            ""
            if len(filters.places) == 1 or place != "England"
            else " — choose one place in the filters to see its own"
        )
    )
    from strategy.indicators.trends import COMPARISON_SOURCE_WORDS, comparison_phrase

    for tile, row in zip(st.columns(len(table)), table.itertuples()):
        unit = "%" if row.unit == "%" else ""
        delta = (
            None if pd.isna(row.change) else f"{row.change:+.1f}{' points' if unit else ''} since {row.previous_period}"
        )
        england = (
            ""
            if pd.isna(row.england_value) or row.place_name == "England"
            else f" England: {row.england_value:.1f}{unit}."
        )
        tile.metric(
            plain(f"{row.short_name} ({row.period_label or row.period})"),
            f"{row.value:.1f}{unit}",
            delta=delta,
            border=True,
            delta_color=DELTA_COLOURS.get(row.polarity, "off"),
            help=f"Compared with England: {comparison_phrase(row.compared_to_england, row.comparison_source)}."
            f" Recent trend: {row.recent_trend}.{england} Aim {row.aim}.",
        )
    compared = [row for row in table.itertuples() if row.comparison_source in COMPARISON_SOURCE_WORDS]
    if compared:
        st.caption(
            "Compared with England: "
            + "; ".join(  # the indicator's name is a stored value: plain()
                f"{plain(row.short_name)} {comparison_phrase(row.compared_to_england, row.comparison_source)}"
                for row in compared
            )
            + "."
        )
