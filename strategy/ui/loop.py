"""Partners in the loop on the pages: "Record a decision" (any view or slide), "Where you fit" (after an upload and
on its own page) and what-if money (Coverage and gaps). The rules are in strategy/loop/; this draws them."""

from __future__ import annotations

from datetime import date

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from strategy import analysis, charts, periods
from strategy.access import PermissionDenied
from strategy.filters import Filters
from strategy.loop import decisions, fit, scenarios
from strategy.rounding import money_per_head
from strategy.ui.data import answer, data_changed, data_version, database_file
from strategy.ui.page import Page
from strategy.ui.shared_answers import decision_choices
from strategy.ui.signin import log_refusal
from strategy.ui.text import plain
from strategy.ui.widgets import chart_block


def record_decision(page: Page, view_page: str, key: str = "decision") -> None:
    """A small "Record a decision" expander for leaders (analysts, admins): what, who, by when, and optionally the
    experiment or commitment it concerns. The view's filters and its headline totals are kept with it."""
    if not page.user.can("record_decisions"):
        return
    done = st.session_state.pop(f"{key}_recorded", None)
    # drawn only once opened (a closed expander looks the same): most people never open it, and its form was 14 of
    # the ~100 elements and containers a warm Overview draws on every run
    box = st.expander(
        "Record a decision", icon=":material/gavel:", expanded=bool(done), key=f"{key}_open", on_change="rerun"
    )
    if not box.open:
        return
    with box:
        if done:
            st.success(plain(done), icon=":material/task_alt:")
        st.caption(
            "A board decision or action made on this view. The view (its filters) and its headline figures "
            "today are kept with it; the next board pack opens with what moved since."
        )
        with st.form(f"{key}_form", clear_on_submit=True, border=False):
            what = st.text_input(
                "What was decided", key=f"{key}_what", placeholder="e.g. Ask the ICB to fund walking groups in Bolsover"
            )
            left, right = st.columns(2)
            owner = left.text_input("Who owns it", key=f"{key}_owner", placeholder="a person or organisation")
            due = right.date_input("By when (optional)", value=None, key=f"{key}_due", format="DD/MM/YYYY")
            found, promised = decision_choices()  # {experiment_id: title}, {reflection_id: commitment}
            left, right = st.columns(2)
            experiment = left.selectbox(
                "Concerns an experiment (optional)",
                [None, *found],
                format_func=lambda i: "—" if i is None else found[i],
                key=f"{key}_experiment",
            )
            commitment = right.selectbox(
                "Concerns a commitment (optional)",
                [None, *promised],
                format_func=lambda i: "—" if i is None else promised[i],
                key=f"{key}_commitment",
            )
            submitted = st.form_submit_button("Record the decision", icon=":material/gavel:")
        if submitted:
            try:
                made = decisions.record_decision(
                    page.con,
                    page.framework,
                    page.user,
                    what,
                    owner,
                    page.filters,
                    due_date=due,
                    view_page=view_page,
                    experiment_id=experiment,
                    reflection_id=commitment,
                )
            except decisions.DecisionProblem as problem:
                st.error(plain(problem), icon=":material/error:")
            except PermissionDenied as problem:
                log_refusal(problem, "record a decision")
                st.error(plain(problem), icon=":material/lock:")
            else:
                data_changed()
                st.session_state[f"{key}_recorded"] = (
                    f"Recorded decision {made.decision_id}: {made.what} (owner {made.owner})."
                )
                st.rerun()


def decision_states(page: Page, key: str = "decision_states") -> None:
    """The board's decisions with their state, owner and what moved; leaders may change a state."""
    table = decisions.since_last_time(page.con, page.framework)
    if table.empty:
        st.caption("No decisions recorded yet. Record one on any view or slide.")
        return
    shown = decisions.since_last_time_table(table, page.framework)
    # the view in words (above); its link beside it, so the view still opens with its filters
    shown["Link"] = ["?" + q if q else "?" for q in table.view_query]
    st.dataframe(
        shown,
        hide_index=True,
        width="stretch",
        key=f"{key}_table",
        column_config={"Link": st.column_config.LinkColumn("Link", display_text="Open this view")},
    )
    st.caption(decisions.MOVEMENT_NOTE)
    if page.user.can("record_decisions"):
        left, middle, right = st.columns([3, 2, 1], vertical_alignment="bottom")
        chosen = left.selectbox(
            "Decision",
            table.decision_id.tolist(),
            key=f"{key}_id",
            format_func=lambda i: f"{i}. " + table.set_index("decision_id").what[i],
        )
        state = middle.selectbox("State", list(decisions.STATES), format_func=decisions.STATES.get, key=f"{key}_state")
        if right.button("Change", key=f"{key}_change"):
            decisions.set_state(page.con, page.user, int(chosen), state)
            data_changed()
            st.rerun()


def where_you_fit(page: Page, partner: str, key: str = "fit") -> None:
    """What the partner's activities add: the gaps they fill, the aims and ways they serve against the
    partnership's spread, and who else works on the same aims in the same places."""
    try:
        found = fit.where_you_fit(page.con, page.framework, page.user, partner, Filters())
    except PermissionDenied as problem:
        log_refusal(problem, f"where {partner} fits")
        st.error(plain(problem), icon=":material/lock:")
        return
    st.markdown(plain(found.summary))
    filled = found.gaps_filled
    if len(filled):
        shown = pd.DataFrame(
            {
                "Place": filled.place,
                "Aim": filled.aim,
                "Before you": [
                    f"{'no activity' if k == 'none' else 'thin'} ({n})"
                    for k, n in zip(filled.kind_before, filled.activities_before)
                ],
                "Your activities": filled.partner_activities,
                "Now": filled.activities_now,
                "Still a gap?": filled.filled.map({True: "no: filled", False: "yes: still thin"}),
            }
        )
        st.dataframe(shown, hide_index=True, width="stretch", key=f"{key}_gaps")
    st.caption(
        f"A gap is a place and aim with no activity running in {analysis.gap_period_label(Filters())}, or "
        "thin activity (the gap list's rule on Coverage and gaps), worked out without this organisation's "
        f"current activities. {analysis.THIN_RULE}"
    )
    shares = {
        "partner_share": "This organisation (% of its activities)",
        "partnership_share": "Whole partnership (% of activities)",
    }
    aims = found.aims.rename(columns={"aim": "Aim", **shares}).drop(columns="code")
    ways = found.ways.rename(columns={"way": "Way of working", **shares}).drop(columns="code")
    st.dataframe(aims, hide_index=True, width="stretch", key=f"{key}_aims")
    st.dataframe(ways, hide_index=True, width="stretch", key=f"{key}_ways")
    st.caption(
        f"Share of activities running in {found.year} that name each aim or way of working; an activity "
        "naming two aims counts in both, so a column adds to more than 100%."
    )
    st.markdown("**Who else works on the same aims in the same places**")
    st.markdown(plain(fit.invitation(found)))
    if len(found.others):
        names = {p.code: p.name for p in page.framework.places}
        others = found.others.assign(
            pairs=[
                "; ".join(f"{names.get(p.split('|')[0], p)} {p.split('|')[1]}" for p in pairs[:6])
                + (" ..." if len(pairs) > 6 else "")
                for pairs in found.others.pairs
            ]
        )
        st.dataframe(
            others.rename(
                columns={"partner": "Partner", "sector": "Sector", "shared_pairs": "Shared", "pairs": "Places and aims"}
            ),
            hide_index=True,
            width="stretch",
            key=f"{key}_others",
        )
    if len(found.learning):
        st.markdown("**Working together on the same aims and places in the learning workspace**")
        st.dataframe(
            found.learning.rename(
                columns={"name": "Organisation", "sector": "Sector", "records": "Purposes and experiments"}
            ),
            hide_index=True,
            width="stretch",
            key=f"{key}_learning",
        )


def what_if_money(page: Page, key: str = "whatif") -> None:
    """Move a sum between places or spread a new budget by need, and see it beside today's figures: drawn once the
    reader opens it (its chart, tables and form were a third of a Coverage and gaps run, for the few who use it)."""
    box = st.expander("Try a what-if scenario", icon=":material/calculate:", key=f"{key}_open", on_change="rerun")
    if not box.open:
        return
    with box:
        _what_if(page, key)


def _what_if(page: Page, key: str) -> None:
    # scenarios.need_and_effort, as a cached answer shared by every session
    today_table = answer(analysis.need_vs_effort, scenarios.whole_partnership(page.filters))
    names = dict(zip(today_table.place_code, today_table.place_name))
    kind = (
        st.segmented_control(
            "What if", list(scenarios.KINDS), default="spread", format_func=scenarios.KINDS.get, key=f"{key}_kind"
        )
        or "spread"
    )
    aim = st.selectbox(
        "For an aim (optional)",
        [None, *[a.code for a in page.framework.aims]],
        key=f"{key}_aim",
        format_func=lambda c: "Any aim" if c is None else page.framework.label("aim", c),
    )
    if kind == "move":
        left, middle, right = st.columns(3)
        from_place = left.selectbox("From", list(names), format_func=names.get, key=f"{key}_from")
        to_place = middle.selectbox("To", list(names), index=1, format_func=names.get, key=f"{key}_to")
        amount = right.number_input("Sum (£)", min_value=0, value=50_000, step=10_000, key=f"{key}_amount")
        scenario = scenarios.Scenario("move", float(amount), from_place, to_place, aim)
    else:
        amount = st.number_input("New budget (£)", min_value=0, value=250_000, step=10_000, key=f"{key}_amount")
        st.caption(scenarios.SPREAD_RULE)
        columns = st.columns(3)
        weights = tuple(
            (
                name,
                float(
                    column.number_input(
                        f"{scenarios.NEED_MEASURES[name][0]} weight",
                        min_value=0.0,
                        max_value=100.0,
                        value=scenarios.DEFAULT_WEIGHTS[name] * 100,
                        step=5.0,
                        key=f"{key}_w_{name}",
                    )
                ),
            )
            for column, name in zip(columns, scenarios.NEED_MEASURES)
        )
        scenario = scenarios.Scenario("spread", float(amount), aim=aim, weights=weights)
    try:
        added = scenarios.added_money(today_table, scenario)
    except scenarios.ScenarioProblem as problem:
        st.warning(plain(problem), icon=":material/info:")
        return
    table = scenarios.with_scenario(today_table, added)
    st.markdown(f"**{scenarios.SCENARIO_MARK}.** " + plain(scenarios.describe(page.framework, scenario)))
    source = page.source("partner activity returns; Active Lives 93015; ONS mid-2022 population")
    chart_block(
        _scenario_figure(database_file(), data_version(), periods.today(), page.filters, scenario, source),
        scenarios.flagged_sentence(table, page.filters) + " The chart under Need against effort, above, "
        "shows only the places in the filter, by the effort measure chosen there.",
        scenarios.per_place_table(table),
        key=f"{key}_scenario",
    )
    st.caption(scenarios.per_head_today_note(page.filters))
    pounds = st.column_config.NumberColumn(format="localized")
    st.dataframe(
        scenarios.per_place_table(table),
        hide_index=True,
        width="stretch",
        key=f"{key}_places",
        column_config={"Change (£)": pounds},
    )
    gaps = scenarios.gaps_reached(_gaps(page), added, aim)
    reached = gaps[gaps.scenario_money > 0]
    st.markdown(
        f"Of today's {len(gaps)} {'gap' if len(gaps) == 1 else 'gaps'}, the scenario's money reaches "
        f"**{len(reached)}** ({'its aim' if aim else 'any aim'} in a place that gains money)."
    )
    if len(reached):
        st.dataframe(
            pd.DataFrame(
                {
                    "Place": reached.place,
                    "Aim": reached.aim,
                    "Today": reached.kind.map({"none": "no activity", "thin": "thin"}),
                    "Scenario money (£)": reached.scenario_money.round(),
                }
            ),
            hide_index=True,
            width="stretch",
            key=f"{key}_gaps",
            column_config={"Scenario money (£)": pounds},
        )
    st.caption(
        "A scenario is never a reported figure: it changes no activity, and no other view or slide counts "
        "its money. Per head: "
        + money_per_head(float(table.scenario_investment.sum() / table.population.sum()))
        + " across the "
        "partnership in the scenario."
    )
    if page.user.can("save_scenarios"):
        with st.form(f"{key}_save", border=False):
            left, right = st.columns([3, 1], vertical_alignment="bottom")
            name = left.text_input("Save as", key=f"{key}_name", placeholder="e.g. £250k by need, 2027")
            in_pack = left.checkbox("Add to the board pack as 'Scenario, not actual'", value=True, key=f"{key}_in_pack")
            if right.form_submit_button("Save scenario", icon=":material/save:"):
                try:
                    scenarios.save_scenario(
                        page.con, page.framework, page.user, name, scenario, page.filters, in_board_pack=in_pack
                    )
                except scenarios.ScenarioProblem as problem:
                    st.error(plain(problem), icon=":material/error:")
                else:
                    data_changed()
                    st.success(f"Saved {plain(name.strip())}.", icon=":material/task_alt:")


def _gaps(page: Page) -> pd.DataFrame:
    return answer(analysis.gaps, page.filters)


@st.cache_resource(show_spinner=False, max_entries=300)
def _scenario_figure(
    database: str, version: int, today: date, filters: Filters, scenario: scenarios.Scenario, source: str
) -> go.Figure:
    """The scenario's need-against-effort chart, built once per view and scenario (every session opening Coverage
    and gaps sees the default scenario first); its answers come from the shared cache."""
    today_table = answer(analysis.need_vs_effort, scenarios.whole_partnership(filters))
    table = scenarios.with_scenario(today_table, scenarios.added_money(today_table, scenario))
    return charts.need_effort_figure(
        scenarios.scenario_figure_table(table),
        "investment_per_head",
        f"{scenarios.SCENARIO_MARK}: need against effort",
        source,
    )
