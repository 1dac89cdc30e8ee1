"""The Experiments page's parts: the register, one experiment's details and decision, and the trend of each
indicator it watches with its start marked."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from strategy import analysis
from strategy.exports import table_bytes
from strategy.filters import Filters
from strategy.learning import charts as learning_charts
from strategy.learning import experiments, markers, purposes
from strategy.ui.data import answer
from strategy.ui.learning import actor, export_button, place_choices, show_problems, writing
from strategy.ui.page import Page
from strategy.ui.records import NEW, remember_saved
from strategy.ui.text import plain
from strategy.ui.widgets import chart_block

CHOICE_KEY = "experiment_choice"


def experiment_register(table: pd.DataFrame) -> None:
    """The register as a table (readable_table of the experiments), and its download."""
    st.dataframe(
        table[["title", "status", "decision", "lead_partner", "start_date", "review_date", "places", "aims"]],
        hide_index=True,
        width="stretch",
        column_config={
            "title": "Experiment",
            "status": "Status",
            "decision": "Decision",
            "lead_partner": "Lead partner",
            "places": "Places",
            "aims": "Aims",
            "start_date": st.column_config.DateColumn("Start", format="DD/MM/YYYY"),
            "review_date": st.column_config.DateColumn("Review", format="DD/MM/YYYY"),
        },
    )
    export_button(
        "Download the register (CSV)",
        table_bytes(table.drop(columns=["activity_key"]), "csv"),
        file_name="experiments.csv",
        mime="text/csv",
        icon=":material/download:",
    )


def field_value(current: pd.Series | None, field: str, default=None):
    """The chosen experiment's value of a field; the default for a new experiment or a missing value."""
    found = None if current is None else current[field]
    if found is None or (pd.api.types.is_scalar(found) and pd.isna(found)):
        return default
    return found


def experiment_form(page: Page, current: pd.Series | None, chosen: int | None) -> None:
    """Everything about one experiment, registered or saved in one go."""

    def value(field: str, default=None):
        return field_value(current, field, default)

    with st.form(f"experiment_{chosen or NEW}"):
        options, place_names = place_choices(page.framework)
        partners = answer(analysis.partner_names, Filters())
        purpose_list = purposes.purposes(page.con, page.framework, Filters())
        purpose_names = dict(zip(purpose_list.purpose_id.astype(int), purpose_list.group_name))
        title = st.text_input("Title", value=value("title", ""))
        hypothesis = st.text_area(
            "Hypothesis", value=value("hypothesis", ""), height=80, placeholder="If we …, then …, because …"
        )
        left, middle, right = st.columns(3)
        lead = left.selectbox(
            "Lead partner",
            partners,
            index=partners.index(value("lead_partner"))
            if current is not None and value("lead_partner") in partners
            else None,
            placeholder="Choose a partner…",
        )
        purpose_id = value("purpose_id")
        purpose = middle.selectbox(
            "Shared purpose it serves",
            list(purpose_names),
            format_func=purpose_names.get,
            index=list(purpose_names).index(int(purpose_id))
            if purpose_id is not None and pd.notna(purpose_id) and int(purpose_id) in purpose_names
            else None,
            placeholder="None",
        )
        status = right.selectbox(
            "Status",
            list(experiments.STATUSES),
            format_func=experiments.STATUSES.get,
            index=list(experiments.STATUSES).index(value("status", "planned")),
        )
        aims = left.multiselect(
            "Aims",
            [a.code for a in page.framework.aims],
            default=list(value("aims", [])),
            format_func=lambda c: page.framework.label("aim", c),
        )
        ways = middle.multiselect(
            "Ways of working",
            [w.code for w in page.framework.ways],
            default=list(value("ways", [])),
            format_func=lambda c: page.framework.label("way", c),
        )
        places = right.multiselect("Places", options, default=list(value("places", [])), format_func=place_names.get)
        start = left.date_input("Start", value=value("start_date"), format="DD/MM/YYYY")
        review = middle.date_input("Review", value=value("review_date"), format="DD/MM/YYYY")
        watched = right.multiselect(
            "Indicators to watch",
            markers.indicator_choices(page.con).index.tolist(),
            default=list(value("indicators", [])),
            format_func=markers.indicator_choices(page.con).get,
        )
        working = st.text_input("Signals it is working", value=value("working_signals", "") or "")
        failing = st.text_input("Signals it is failing", value=value("failing_signals", "") or "")
        decisions = list(experiments.DECISIONS)
        decision = left.selectbox(
            "Decision at review",
            decisions,
            format_func=experiments.DECISIONS.get,
            index=decisions.index(value("decision")) if value("decision") in decisions else None,
            placeholder="Not yet decided",
        )
        learned = st.text_area("What we learned", value=value("learned", "") or "", height=80)
        if st.form_submit_button(
            "Register the experiment" if chosen is None else "Save changes", type="primary", icon=":material/save:"
        ):
            with writing(page) as cursor:
                saved = experiments.save_experiment(
                    cursor,
                    page.framework,
                    actor(),
                    title,
                    hypothesis,
                    lead or "",
                    start,
                    aims,
                    places,
                    ways,
                    purpose,
                    review,
                    watched,
                    working,
                    failing,
                    status,
                    decision,
                    learned,
                    experiment_id=chosen,
                )
            if saved.ok:
                remember_saved(CHOICE_KEY, saved.record_id)
                st.rerun()
            show_problems(saved.problems)


def watched_trends(page: Page, current: pd.Series | None, chosen: int | None) -> None:
    """The trend of each indicator the experiment watches, in its first four places and England, with its start
    marked by a dashed line."""
    if current is None:
        st.caption(
            "Register the experiment and choose indicators to watch; their trend appears here with the "
            "experiment's start marked."
        )
    for indicator_id in field_value(current, "indicators", []):
        trend = markers.indicator_trend(page.con, indicator_id, list(current.places)[:4], page.framework.benchmark)
        if trend.empty:
            st.caption(f"No values for indicator {plain(indicator_id)} yet.")
            continue
        mark = markers.experiment_markers(page.con, page.framework, Filters(), indicator_id)
        mark = mark[mark.experiment_id == chosen]
        benchmark = page.framework.place(page.framework.benchmark).name
        places_named = [n for n in dict.fromkeys(trend.place_name) if n != benchmark]
        figure = learning_charts.indicator_trend_figure(
            trend,
            mark,
            f"{trend.indicator_name.iloc[0]}: {', '.join(places_named)} and {benchmark}",
            f"Source: {trend.source.iloc[0]}. Dashed line: the experiment's start.",
            benchmark,
        )
        chart_block(
            figure,
            markers.trend_summary(trend, current),
            trend.drop(columns=["source"]),
            key=f"trend_{chosen}_{indicator_id}",
        )
        if len(current.places) > 4:
            st.caption("The first four of its places are drawn, to keep the chart readable.")
