"""The filter sidebar, kept in step with the address bar, and the export of the filtered activities."""

from __future__ import annotations

from typing import TYPE_CHECKING

import streamlit as st

from strategy import analysis
from strategy.filters import URL_KEYS, Filters, filters_from_query
from strategy.framework import Framework
from strategy.ui.data import answer
from strategy.ui.selection import undo_button

if TYPE_CHECKING:
    from strategy.ui.page import Page

WIDGET_KEYS = {
    "places": "filter_places",
    "sectors": "filter_sectors",
    "aims": "filter_aims",
    "ways": "filter_ways",
    "themes": "filter_themes",
    "partners": "filter_partners",
    "date_from": "filter_from",
    "date_to": "filter_to",
}
# The sidebar's filters by the names pages pass to page_setup(sidebar_filters=...); "period" is both dates.
ALL_FILTERS = ("places", "sectors", "aims", "ways", "themes", "partners", "period")
# The learning workspace's lists are narrowed by place, aim and partner only (strategy.learning.records).
LEARNING_FILTERS = ("places", "aims", "partners")
FILTER_WORDS = {
    "places": "place",
    "sectors": "sector",
    "aims": "aim",
    "ways": "way of working",
    "themes": "theme",
    "partners": "partner",
    "period": "period",
}


def filter_sidebar(framework: Framework, shown: tuple[str, ...] = ALL_FILTERS) -> Filters:
    """The filter widgets, kept in step with the URL so a copied link opens the same view. Only the filters in
    `shown` are drawn; the others keep their values (in the session and the address) for the pages that use them."""
    from_url = filters_from_query({key: st.query_params.get_all(key) for key in st.query_params.keys()}, framework)
    remembered: Filters | None = st.session_state.get("filters")
    if remembered is None or (not from_url.is_empty() and from_url != remembered):
        current = from_url  # first visit, or a link opened in this session
        seed_widgets(current, force=True)
    else:
        current = remembered  # moving between pages drops the query string; keep the session's filters
        seed_widgets(current, force=False)

    # the places of the view's day (a replaced place gives way to its successor), and any chosen from a link
    place_options = [p.code for p in framework.counties()] + [p.code for p in framework.local_places(current.as_of())]
    place_options += [c for c in current.places if c not in place_options]
    place_names = {
        p.code: p.name
        + (" (county, all districts)" if p.level == "county" else "")
        + (f" (replaced on {p.replaced_on:%d/%m/%Y})" if p.replaced_on else "")
        for p in framework.places
    }
    partners = answer(analysis.partner_names, Filters())
    with st.sidebar:
        st.header("Filters")
        if "places" in shown:
            st.multiselect(
                "Place",
                place_options,
                key=WIDGET_KEYS["places"],
                format_func=place_names.get,
                placeholder="All places",
                help="Choosing a county includes its districts. A place "
                "replaced by a new council counts in its successor when the period ends on or after the "
                "change.",
            )
        if "sectors" in shown:
            st.multiselect(
                "Sector",
                [s.code for s in framework.sectors],
                key=WIDGET_KEYS["sectors"],
                format_func=lambda c: framework.label("sector", c),
                placeholder="All sectors",
            )
        if "aims" in shown:
            st.multiselect(
                "Aim",
                [a.code for a in framework.aims],
                key=WIDGET_KEYS["aims"],
                format_func=lambda c: framework.label("aim", c),
                placeholder="All aims",
            )
        if "ways" in shown:
            st.multiselect(
                "Way of working",
                [w.code for w in framework.ways],
                key=WIDGET_KEYS["ways"],
                format_func=lambda c: framework.label("way", c),
                placeholder="All ways of working",
            )
        if "themes" in shown:
            st.multiselect(
                "Theme",
                [t.code for t in framework.themes],
                key=WIDGET_KEYS["themes"],
                format_func=lambda c: framework.label("theme", c),
                placeholder="All themes",
            )
        if "partners" in shown:
            st.multiselect(
                "Partner",
                sorted(set(partners) | set(current.partners)),
                key=WIDGET_KEYS["partners"],
                placeholder="All partners",
            )
        if "period" in shown:
            left, right = st.columns(2)
            left.date_input("From", key=WIDGET_KEYS["date_from"], format="DD/MM/YYYY")
            right.date_input("To", key=WIDGET_KEYS["date_to"], format="DD/MM/YYYY")
        drawn = {
            name for name in WIDGET_KEYS if name in shown or (name in ("date_from", "date_to") and "period" in shown)
        }
        chosen = Filters(
            **{
                name: (
                    tuple(st.session_state[key]) if isinstance(st.session_state[key], list) else st.session_state[key]
                )
                if name in drawn
                else getattr(current, name)
                for name, key in WIDGET_KEYS.items()
            }
        )
        if any(getattr(chosen, name) != getattr(Filters(), name) for name in drawn):
            st.button("Clear filters", on_click=clear_filters, icon=":material/filter_alt_off:")
        undo_button(chosen, key="filter_undo_sidebar")  # a click on a chart narrowed them: one click back
        hidden = [FILTER_WORDS[name] for name in ALL_FILTERS if name not in shown]
        if hidden:
            st.caption(
                "This page's lists follow the "
                + ", ".join(FILTER_WORDS[n] for n in shown if n in FILTER_WORDS)
                + " filters only; the "
                + ", ".join(hidden)
                + " filters apply on the dashboard pages."
            )
        st.caption("The address bar holds these filters: copy it to share exactly this view.")
    st.session_state["filters"] = chosen
    filter_keys = {*URL_KEYS.values(), "from", "to"}
    others = {k: st.query_params.get_all(k) for k in st.query_params.keys() if k not in filter_keys}
    wanted = {**others, **chosen.to_query()}  # a page's own parameters (an indicator, a slide) are kept
    if wanted != {k: st.query_params.get_all(k) for k in st.query_params.keys()}:
        st.query_params.from_dict(wanted)
    return chosen


def seed_widgets(filters: Filters, force: bool) -> None:
    for name, key in WIDGET_KEYS.items():
        if force or key not in st.session_state:
            value = getattr(filters, name)
            st.session_state[key] = list(value) if isinstance(value, tuple) else value


def clear_filters() -> None:
    seed_widgets(Filters(), force=True)


def export_activities(page: "Page") -> None:
    """Analysts and admins: the filtered activities as a formula-safe CSV or Excel file, audited when prepared."""
    from strategy import exports

    with st.expander("Export these activities", icon=":material/download:"):
        file_format = st.segmented_control("Format", ["csv", "xlsx"], default="csv", key="export_format") or "csv"
        if st.button("Prepare the export", key="export_prepare", help="Recorded in the audit log."):
            from strategy import analysis

            table = exports.activities_export(page.con, page.framework, page.filters, page.user)
            filters_text = page.filters.describe(page.framework)
            by_place = analysis.place_summary(analysis.need_vs_effort(page.con, page.framework, page.filters))
            st.session_state["activities_export"] = (
                file_format,
                exports.table_bytes(
                    table,
                    file_format,
                    title="Activities",
                    filters_text=filters_text,
                    is_demo=page.is_demo,
                    summaries={"By place": by_place},
                ),
                len(table),
            )
            # the file's name carries the filters and the date; the caption says what it holds
            st.session_state["activities_export_about"] = (
                exports.export_file_name("activities", page.filters, page.framework, file_format),
                exports.describe_export(len(table), filters_text, page.is_demo),
            )
        prepared = st.session_state.get("activities_export")
        if prepared:
            file_name, holds = st.session_state["activities_export_about"]
            st.download_button(
                f"Download {prepared[2]:,} activities",
                prepared[1],
                file_name,
                key="export_download",
                icon=":material/download:",
                on_click="ignore",
            )
            st.caption(
                f"{file_name} holds {holds}"
                + (
                    " The workbook says so on its About sheet too, and adds money by place."
                    if prepared[0] == "xlsx"
                    else " A CSV holds the rows only, so other tools read it as it is."
                )
            )
