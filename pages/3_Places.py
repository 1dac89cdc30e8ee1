"""Places: a map of the partnership's areas coloured by a chosen measure, and the profile of one place."""

import logging

import streamlit as st

from strategy import analysis, charts, periods
from strategy.board.headlines import map_extremes
from strategy.filters import with_changes
from strategy.indicators.trends import comparison_phrase, indicator_definition, period_label
from strategy.rounding import money_per_head
from strategy.ui import (
    answer,
    chart_block,
    figure,
    headline_indicator_tiles,
    no_activities_yet,
    page_setup,
    pinned_quotes,
    pinned_quotes_for,
    place_map,
    plain,
)
from strategy.ui.selection import label_codes, label_targets, narrow_filters, place_codes, place_targets
from strategy.ui.shared_figures import boundaries as read_boundaries

MEASURES = {
    "investment_per_head": "Investment per head (£)",
    "activities_per_100k": "Activities per 100,000 people",
    "inactive_pct": "Adults inactive (%)",
    "imd2019_score": "IMD 2019 average score",
    "investment": "Investment (£)",
    "activities": "Activities",
}

page_log = logging.getLogger("strategy.places")
page = page_setup("Places", icon=":material/map:")
st.caption(
    f"Each of the partnership's {len(page.framework.local_places())} areas, coloured by the measure you choose. "
    "Investment in an area is its "
    "share of the activities that reach it (apportioned by population). " + periods.SHORT_RULE
)
no_activities_yet(page, "The map still shows each area's population, deprivation and inactive adults.")

table = answer(analysis.need_vs_effort, page.filters)
measure = st.selectbox("Colour the map by", list(MEASURES), format_func=MEASURES.get, key="map_measure")
try:
    boundaries, boundary_problem = read_boundaries(), None
except charts.BoundaryFileError as problem:
    boundaries, boundary_problem = None, problem
    page_log.warning("%s", problem)  # the file's path and what is wrong, for whoever runs the server
summary = map_extremes(table, measure)
drawn_map = place_map(
    page.filters,
    measure,
    MEASURES[measure],
    f"{MEASURES[measure]} by place",
    page.source("partner activity returns; ONS boundaries, centre points and population"),
)
chart_block(
    drawn_map,
    summary,
    analysis.place_table(table, measure, MEASURES[measure]),
    key="place_map",
    targets=place_targets(drawn_map, place_codes(page.framework)),
    on_pick=narrow_filters,
    hint="Click an area to narrow the page to it.",
)
if boundary_problem is not None:
    st.caption(
        "The areas' boundaries could not be read, so each area is drawn as a circle at its ONS centre "
        "point. The server's log says which file and what is wrong (see Maps in the README)."
    )
elif boundaries is None:
    st.caption(
        "The areas' boundary file was not found, so each area is drawn as a circle at its ONS centre "
        "point, sized and coloured by the measure (see Maps in the README)."
    )
else:
    st.caption(
        "Areas drawn from ONS district boundaries (December 2019). Names that would overlap are left "
        "off the map; hover over an area, or open the table view, to read every value."
    )

st.divider()
names = dict(zip(table.place_code, table.place_name))
chosen = st.selectbox("Place profile", list(names), format_func=names.get, key="profile_place")
if chosen:
    place = table.set_index("place_code").loc[chosen]
    inactive_years = (indicator_definition(page.con, "93015") or {}).get("year_starts")
    st.header(plain(place.place_name))
    tiles = st.columns(4)
    tiles[0].metric("Population (mid-2022)", f"{place.population:,.0f}", border=True)
    tiles[1].metric(
        "Adults inactive",
        f"{place.inactive_pct:.1f}%",
        border=True,
        help=f"Adults aged 19 and over, Active Lives {period_label(place.inactive_period, inactive_years)} "
        "(OHID Fingertips 93015): "
        f"{comparison_phrase(place.compared_to_england, place.comparison_source)}.",
    )
    tiles[2].metric("Activities reaching it", f"{place.activities:,.0f}", border=True)
    tiles[3].metric("Investment per head", money_per_head(place.investment_per_head), border=True)
    here = with_changes(page.filters, places=[chosen])
    headline_indicator_tiles(here)
    aims = answer(analysis.heatmap, here, "place", "aim").rename(columns={"column_label": "aim"})
    left, right = st.columns(2)
    with left:
        by_aim = figure(
            charts.bar_figure,
            aims,
            "activities",
            "aim",
            f"Activities by aim in {place.place_name}",
            page.source(),
            "Activities",
        )
        chart_block(
            by_aim,
            analysis.aim_balance_summary(aims, place.place_name),
            aims[["aim", "activities"]],
            key="profile_aims",
            targets=label_targets(by_aim, "aims", label_codes(page.framework, "aim")),
            on_pick=narrow_filters,
            hint="Click an aim to narrow the page to it.",
        )
    with right:
        gap_period = analysis.gap_period_label(here)
        st.subheader(f"Gaps here in {gap_period}")
        gaps = answer(analysis.gaps, here)
        for gap in gaps.head(5).itertuples():
            st.markdown(f"- {plain(gap.reason)}")
        if gaps.empty:
            st.success(f"Every aim has activity here in {gap_period}.")
    pinned_quotes(
        pinned_quotes_for(page.filters, places=(chosen,)), heading=f"In residents' words: {plain(place.place_name)}"
    )
