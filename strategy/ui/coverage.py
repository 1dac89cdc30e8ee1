"""The Coverage and gaps page's parts: the coverage heatmap, the gaps ranked with reasons, and need against effort
with its chart, its flagged places and what the numbers mean."""

from __future__ import annotations

import streamlit as st

from strategy import analysis
from strategy.board.headlines import need_effort_summary
from strategy.rounding import money_per_head
from strategy.ui.data import answer
from strategy.ui.heatmaps import heatmap_block
from strategy.ui.page import Page
from strategy.ui.selection import narrow_filters, place_codes, place_targets
from strategy.ui.shared_figures import heatmap_view, need_effort_view
from strategy.ui.text import plain
from strategy.ui.widgets import chart_block

EFFORT_WORDS = {
    "investment_per_head": "Investment per head",
    "activities_per_100k": "Activities per 100,000 people",
}
DEFAULT_EFFORT = "investment_per_head"
# The chart's axis, as its sentence names it (headlines.need_effort_summary, as in the board pack).
EFFORT_AXIS = {"investment_per_head": "Investment per head (£)", "activities_per_100k": "Activities per 100,000 people"}


def place_aim_heatmap(page: Page):
    """The coverage heatmap for the page's filters (shared_figures.HeatmapView): activities by place and aim. The
    start-up warming builds it too (strategy/ui/warming.py)."""
    title = "Activities by place and aim (all dates in the filter)"
    return heatmap_view(page.filters, "place", "aim", "activities", title, page.source())


def coverage_heatmap(page: Page) -> None:
    """Activities by place and aim; a click on a cell narrows the page to its place and aim."""
    heatmap_block(
        place_aim_heatmap(page),
        "place",
        "aim",
        "activities",
        key="coverage_grid",
        on_pick=narrow_filters,
        hint="Click a cell to narrow the page to its place and aim.",
        list_hint="Click a row to narrow the page to its place and aim.",
    )


def ranked_gaps(page: Page, year: str) -> None:
    """How many place-aim pairs have no or thin activity in the year, the worst five with their reasons, and every
    gap in a table."""
    gaps = answer(analysis.gaps, page.filters)
    if gaps.empty:
        st.success(f"Every place has activity for every aim in {year}.")
        return
    none, thin = (gaps.kind == "none").sum(), (gaps.kind == "thin").sum()
    pairs = "place-aim pair has" if none == 1 else "place-aim pairs have"
    st.markdown(
        f"**{none}** {pairs} no activity and **{thin}** {'has' if thin == 1 else 'have'} thin activity in {year}. "
        "Pairs with none come first, then the thinnest for their population; ties go to the place with "
        "more inactive adults."
    )
    st.caption(" ".join(filter(None, [analysis.THIN_RULE, analysis.gap_period_note(page.filters)])))
    for gap in gaps.head(5).itertuples():
        st.markdown(f"{gap.Index + 1}. {plain(gap.reason)}")
    with st.expander(f"All {len(gaps)} gaps"):
        st.dataframe(
            gaps.drop(columns=["place_code", "aim_code"]),
            hide_index=True,
            width="stretch",
            column_config={
                "per_100k": st.column_config.NumberColumn("Per 100,000 people", format="%.1f"),
                "inactive_pct": st.column_config.NumberColumn("Inactive adults %", format="%.1f"),
            },
        )


def effort_measure() -> str:
    """How effort is measured on the chart: investment per head (the default) or activities per 100,000 people."""
    return (
        st.segmented_control(
            "Effort measured as",
            list(EFFORT_WORDS),
            default=DEFAULT_EFFORT,
            key="effort_measure",
            format_func=EFFORT_WORDS.get,
        )
        or DEFAULT_EFFORT
    )


def need_effort_chart(page: Page, effort: str):
    """(need against effort for the page's filters, with each place flagged high need, low effort by the effort
    chosen; its chart). The start-up warming builds the chart too (strategy/ui/warming.py)."""
    return need_effort_view(
        page.filters,
        effort,
        "Need (inactive adults) against effort",
        page.source("partner activity returns; Active Lives 93015 (OHID Fingertips); ONS mid-2022 population"),
    )


def need_against_effort(page: Page, effort: str) -> None:
    """The need against effort chart (a click on a place narrows the page to it), with its table, what its numbers
    mean, and each high-need, low-effort place by the effort chosen."""
    table, need_effort = need_effort_chart(page, effort)
    flagged = table[table.high_need_low_effort]
    summary = need_effort_summary(table, EFFORT_AXIS[effort])
    chart_block(
        need_effort,
        summary,
        analysis.place_summary(table).assign(
            **{
                "Adults inactive (%)": [*table.inactive_pct.round(1), None],
                "Activities per 100,000 people": [*table.activities_per_100k.round(1), None],
                "High need, low effort": [*table.high_need_low_effort.map({True: "yes", False: ""}), ""],
            }
        ),
        key="need_effort",
        targets=place_targets(need_effort, place_codes(page.framework)),
        on_pick=narrow_filters,
        hint="Click a place to narrow the page to it.",
    )
    st.caption(
        analysis.YARDSTICK_NOTE + " In the table, money and participants per place are rounded so they add to "
        "the total; participants are attendances, not unique people."
    )
    for place in flagged.itertuples():
        st.markdown(
            f"- **{plain(place.place_name)}**: {place.inactive_pct:.1f}% of adults (19+) inactive, "
            f"{money_per_head(place.investment_per_head)} invested per head, "
            f"{place.activities_per_100k:.0f} activities per 100,000 people."
        )
    st.caption(
        "Need is the share of adults aged 19 and over who are inactive (Active Lives). No number of inactive "
        "people is shown: the only population held for every place counts all ages, and multiplying by it would "
        "overstate the number by a fifth to a quarter."
    )
