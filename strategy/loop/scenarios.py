"""What-if money: move a sum between places, or spread a new budget by need, and see it beside today's figures.

A scenario is never mixed with the reported figures: it is worked out on a copy of today's need-against-effort
table, it never writes activities, and it reaches the board pack only on its own slide, marked "Scenario, not
actual". Saving one keeps its settings and the money it adds per place (scenarios, scenario_places).

Spreading a budget by need: each place's share is the weighted sum of its share of the partnership's population,
of its inactive adults percentage points and of its IMD score (each measure's values over all places add to 1), the
weights scaled to add to 1. With all the weight on population, every place gets the same money per head.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import duckdb
import pandas as pd

from strategy import analysis, db
from strategy.access import User, require
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.loop.decisions import view_query

KINDS = {"move": "Move a sum between places", "spread": "Spread a new budget by need"}
# What each need weight is measured by, and the column of need_vs_effort() that holds it.
NEED_MEASURES = {
    "inactive": ("Adults inactive (%)", "inactive_pct"),
    "imd": ("IMD 2019 score", "imd2019_score"),
    "population": ("Population", "population"),
}
NEED_WORDS = {"inactive": "inactive adults", "imd": "deprivation (IMD)", "population": "population"}
DEFAULT_WEIGHTS = {"population": 0.5, "inactive": 0.3, "imd": 0.2}
SCENARIO_MARK = "Scenario, not actual"
SPREAD_RULE = (
    "A new budget is spread by need: each place gets the weighted sum of its share of the partnership's "
    "population, of its inactive adults percentage and of its IMD score (weights scaled to add to 1)."
)


class ScenarioProblem(ValueError):
    """A scenario that cannot be worked out or saved as asked; the message says what to fix."""


@dataclass(frozen=True)
class Scenario:
    """The settings of a what-if: a move (amount from_place -> to_place) or a spread (amount by weights)."""

    kind: str
    amount: float
    from_place: str | None = None
    to_place: str | None = None
    aim: str | None = None
    weights: tuple[tuple[str, float], ...] = tuple(DEFAULT_WEIGHTS.items())


def need_and_effort(
    con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters, today: date | None = None
) -> pd.DataFrame:
    """Today's need against effort for every place of the partnership (the place filter is not applied: money
    moves between any places, and the yardstick is the whole partnership's)."""
    return analysis.need_vs_effort(con, framework, whole_partnership(filters), today=today)


def whole_partnership(filters: Filters) -> Filters:
    """The filters a scenario's table is asked with: every place (see need_and_effort)."""
    return replace(filters, places=())


def spread_shares(table: pd.DataFrame, weights: dict[str, float]) -> pd.Series:
    """Each place's share of a new budget (adds to 1), by place_code."""
    unknown = set(weights) - set(NEED_MEASURES)
    if unknown:
        raise ScenarioProblem(f"Unknown need measure {', '.join(sorted(unknown))}; use {', '.join(NEED_MEASURES)}.")
    if any(w < 0 for w in weights.values()) or sum(weights.values()) <= 0:
        raise ScenarioProblem("Weights must be zero or more, and at least one above zero.")
    total_weight = sum(weights.values())
    shares = pd.Series(0.0, index=table.place_code)
    for key, weight in weights.items():
        if weight == 0:
            continue
        label, column = NEED_MEASURES[key]
        values = pd.Series(table[column].to_numpy(dtype=float), index=table.place_code)
        missing = values[values.isna()].index.tolist()
        if missing:
            names = ", ".join(table.set_index("place_code").place_name[missing])
            raise ScenarioProblem(
                f"{names} {'has' if len(missing) == 1 else 'have'} no {label} figure; "
                f"set that weight to 0 or import the figure."
            )
        shares += weight / total_weight * values / values.sum()
    return shares


def added_money(table: pd.DataFrame, scenario: Scenario) -> pd.Series:
    """The money the scenario adds (negative: takes away) in each place, by place_code; refuses what cannot be."""
    if scenario.kind not in KINDS:
        raise ScenarioProblem(f"{scenario.kind!r} is not a kind of scenario; use {' or '.join(KINDS)}.")
    if not scenario.amount or scenario.amount <= 0:
        raise ScenarioProblem("Give a sum of money above £0.")
    if scenario.kind == "spread":
        return spread_shares(table, dict(scenario.weights)) * float(scenario.amount)
    names = table.set_index("place_code").place_name
    for place in (scenario.from_place, scenario.to_place):
        if place not in names.index:
            raise ScenarioProblem("Choose the place the money moves from and the place it moves to.")
    if scenario.from_place == scenario.to_place:
        raise ScenarioProblem("The money must move between two different places.")
    has = float(table.set_index("place_code").investment[scenario.from_place])
    if scenario.amount > has + 0.005:
        raise ScenarioProblem(f"{names[scenario.from_place]} has £{has:,.0f} in this view; move at most that.")
    added = pd.Series(0.0, index=table.place_code)
    added[scenario.from_place] -= float(scenario.amount)
    added[scenario.to_place] += float(scenario.amount)
    return added


def with_scenario(table: pd.DataFrame, added: pd.Series) -> pd.DataFrame:
    """Today's need-against-effort table beside the scenario's: scenario_investment, scenario_investment_per_head
    and scenario_high_need_low_effort, judged against the scenario's own middle place. Today's columns unchanged."""
    result = table.copy()
    result["added"] = result.place_code.map(added).fillna(0.0)
    result["scenario_investment"] = result.investment + result.added
    result["scenario_investment_per_head"] = result.scenario_investment / result.population
    typical = result.scenario_investment_per_head.median()
    result["scenario_typical_investment_per_head"] = typical
    result["scenario_high_need_low_effort"] = (result.inactive_pct > result.typical_inactive_pct) & (
        result.scenario_investment_per_head < typical
    )
    return result


def scenario_figure_table(table: pd.DataFrame) -> pd.DataFrame:
    """The scenario as its need-against-effort table, for charts.need_effort_figure (investment is the scenario's)."""
    shown = table.copy()
    shown["investment"] = shown.scenario_investment
    shown["investment_per_head"] = shown.scenario_investment_per_head
    shown["typical_investment_per_head"] = shown.scenario_typical_investment_per_head
    shown["high_need_low_effort"] = shown.scenario_high_need_low_effort
    return shown


def gaps_reached(gaps: pd.DataFrame, added: pd.Series, aim: str | None) -> pd.DataFrame:
    """Today's gap list with the money the scenario adds in each gap's place for its aim (scenario_money): all
    of the place's added money when the scenario names no aim, else only for gaps of that aim."""
    result = gaps.copy()
    money = result.place_code.map(added).fillna(0.0)
    if aim:
        money = money.where(result.aim_code == aim, 0.0)
    result["scenario_money"] = money
    return result


def per_place_table(table: pd.DataFrame) -> pd.DataFrame:
    """Per place: investment and per head today and in the scenario, and the change, for pages and slides."""
    from strategy.rounding import per_head_rounded

    ordered = table.sort_values("added", ascending=False)
    return pd.DataFrame(
        {
            "Place": ordered.place_name.to_numpy(),
            "Change (£)": ordered.added.round().astype(int).to_numpy(),
            "Per head today (£)": [per_head_rounded(v) for v in ordered.investment_per_head],
            "Per head in scenario (£)": [per_head_rounded(v) for v in ordered.scenario_investment_per_head],
            "High need, low effort in scenario": ordered.scenario_high_need_low_effort.map(
                {True: "yes", False: ""}
            ).to_numpy(),
        }
    )


def flagged_sentence(table: pd.DataFrame, filters: Filters) -> str:
    """Today's and the scenario's high need, low effort places, counted over the same places (all the
    partnership's, whatever the place filter) by the same measure (investment per head in the view's period)."""
    places = len(table)
    now, then = int(table.high_need_low_effort.sum()), int(table.scenario_high_need_low_effort.sum())
    return (
        f"High need, low effort by investment per head ({filters.describe_period()}), of all the partnership's "
        f"{places} places, whatever the place filter: {now} today, {then} in the scenario."
    )


def per_head_today_note(filters: Filters) -> str:
    """What 'per head today' is worked out on: the view's money in its period."""
    return (
        f"Per head today is the investment reported for {filters.describe_period()} (the view's period) over "
        "each place's population, before the scenario's money."
    )


def describe(framework: Framework, scenario: Scenario) -> str:
    """The scenario in a sentence."""
    aim = f" for {framework.label('aim', scenario.aim)}" if scenario.aim else ""
    if scenario.kind == "move":
        return (
            f"Move £{scenario.amount:,.0f}{aim} from {framework.place(scenario.from_place).name} to "
            f"{framework.place(scenario.to_place).name}."
        )
    weights = dict(scenario.weights)
    total = sum(weights.values()) or 1
    parts = ", ".join(f"{NEED_WORDS[k]} {v / total:.0%}" for k, v in weights.items() if v)
    return f"Spread a new budget of £{scenario.amount:,.0f}{aim} by need (weights: {parts})."


def save_scenario(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    actor: User,
    name: str,
    scenario: Scenario,
    filters: Filters,
    in_board_pack: bool = True,
    today: date | None = None,
) -> int:
    """Save a scenario by name (its settings and the money it adds per place); never touches activities."""
    require(actor, "save_scenarios")
    name = (name or "").strip()
    if not name:
        raise ScenarioProblem("Give the scenario a name, so the board can tell it apart.")
    if scenario.aim and scenario.aim not in {a.code for a in framework.aims}:
        raise ScenarioProblem(
            f"{scenario.aim!r} is not an aim; use one of {', '.join(a.code for a in framework.aims)}."
        )
    if db.query(con, "loop_scenario_named", scenario_name=name).n.iloc[0]:
        raise ScenarioProblem(f"A scenario called {name!r} is saved already; choose another name.")
    added = added_money(need_and_effort(con, framework, filters, today), scenario)
    weights = dict(scenario.weights) if scenario.kind == "spread" else {}
    with db.transaction(con) as cursor:
        scenario_id = db.execute(
            cursor,
            "loop_insert_scenario",
            scenario_name=name,
            kind=scenario.kind,
            amount=float(scenario.amount),
            from_place=scenario.from_place if scenario.kind == "move" else None,
            to_place=scenario.to_place if scenario.kind == "move" else None,
            aim=scenario.aim or None,
            weight_inactive=weights.get("inactive"),
            weight_imd=weights.get("imd"),
            weight_population=weights.get("population"),
            view_query=view_query(filters),
            in_board_pack=bool(in_board_pack),
            created_by=actor.email,
        )[0][0]
        for place_code, value in added.items():
            db.execute(
                cursor, "loop_insert_scenario_place", scenario_id=scenario_id, place_code=place_code, added=float(value)
            )
        db.audit(cursor, actor, "scenario saved", f"scenario {scenario_id}: {name}")
    return int(scenario_id)


def saved_scenarios(con: duckdb.DuckDBPyConnection, in_board_pack_only: bool = False) -> pd.DataFrame:
    """Saved scenarios, newest first; places: a list of {place_code, added}."""
    return db.query(con, "loop_scenarios", in_board_pack_only=bool(in_board_pack_only))


def saved_added(row) -> pd.Series:
    """The money a saved scenario adds per place, as saved."""
    places = row.places if isinstance(row.places, list) else []
    return pd.Series({p["place_code"]: float(p["added"]) for p in places}, dtype=float)


def saved_settings(row) -> Scenario:
    weights = tuple(
        (k, float(getattr(row, f"weight_{k}"))) for k in NEED_MEASURES if pd.notna(getattr(row, f"weight_{k}"))
    )
    return Scenario(
        row.kind,
        float(row.amount),
        row.from_place if isinstance(row.from_place, str) else None,
        row.to_place if isinstance(row.to_place, str) else None,
        row.aim if isinstance(row.aim, str) else None,
        weights or tuple(DEFAULT_WEIGHTS.items()),
    )
