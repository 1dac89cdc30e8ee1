"""Decisions that come back: a board decision or action recorded on a view, with the figures it was made on.

A decision is recorded by a leader (analyst or admin) on a filtered view or a slide: what, who owns it, by when,
the view as its query string, and a snapshot of that view's headline totals at the time. It may concern an
experiment or a commitment in the learning log. Its state moves open -> in progress -> done (or dropped). The next
board pack opens with "Since last time": each decision, its owner and state, and what moved in its figures (the
same filters worked out now, minus the snapshot).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from urllib.parse import parse_qs, urlencode

import duckdb
import pandas as pd

from strategy import analysis, db, periods
from strategy.access import User, require
from strategy.filters import Filters, filters_from_query
from strategy.framework import Framework
from strategy.loop.states import STATES

# The headline totals kept with a decision, in the order they are shown, with their labels.
SNAPSHOT_FIGURES = {
    "activities": "Activities",
    "partners": "Partners",
    "places_reached": "Places reached",
    "investment": "Investment (£)",
    "participants": "Participants (attendances)",
}
MOVEMENT_NOTE = (
    "What moved: the decision's own view worked out today minus the same view's figures on the day "
    "the decision was recorded (money and participants in the view's places and period)."
)


class DecisionProblem(ValueError):
    """A decision that cannot be recorded or changed as asked; the message says what to fix."""


@dataclass(frozen=True)
class Decision:
    decision_id: int
    what: str
    owner: str
    state: str


def view_query(filters: Filters) -> str:
    """The filters as the query string of the view's link (place=...&aim=...), in a stable order."""
    return urlencode([(key, value) for key, values in filters.to_query().items() for value in values])


def filters_of(query: str, framework: Framework) -> Filters:
    """The filters a stored query string stands for (unknown parts are dropped, as for a link)."""
    return filters_from_query(parse_qs(query or "", keep_blank_values=False), framework)


def record_decision(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    actor: User,
    what: str,
    owner: str,
    filters: Filters,
    due_date: date | None = None,
    view_page: str = "",
    experiment_id: int | None = None,
    reflection_id: int | None = None,
    today: date | None = None,
) -> Decision:
    """Record a decision made on a view: the view's headline totals are worked out now and kept with it."""
    require(actor, "record_decisions")
    what, owner = (what or "").strip(), (owner or "").strip()
    today = today or periods.today()
    problems = []
    if not what:
        problems.append("Say what was decided (the action, in a sentence).")
    if not owner:
        problems.append("Say who owns it (a person or an organisation).")
    if due_date is not None and due_date < today:
        problems.append(f"The date it is due, {due_date:%d/%m/%Y}, is before today ({today:%d/%m/%Y}).")
    with con.cursor() as reader:  # its own: the server's connection is shared by every thread
        if (
            experiment_id is not None
            and not reader.execute(
                "SELECT count(*) FROM experiments WHERE experiment_id = ?", [int(experiment_id)]
            ).fetchone()[0]
        ):
            problems.append(f"There is no experiment {experiment_id}; choose one from the Experiments page.")
        if (
            reflection_id is not None
            and not reader.execute(
                "SELECT count(*) FROM reflections WHERE reflection_id = ? AND commitment IS NOT NULL",
                [int(reflection_id)],
            ).fetchone()[0]
        ):
            problems.append(f"There is no commitment {reflection_id}; choose one from the Learning log.")
    if problems:
        raise DecisionProblem(" ".join(problems))
    totals = analysis.headline_totals(con, framework, filters, today=today)
    with db.transaction(con) as cursor:
        decision_id = db.execute(
            cursor,
            "loop_insert_decision",
            what=what,
            owner=owner,
            due_date=due_date,
            view_page=view_page or None,
            view_query=view_query(filters),
            experiment_id=experiment_id,
            reflection_id=reflection_id,
            decided_on=today,
            snapshot_on=today,
            activities=totals["activities"],
            partners=totals["partners"],
            places_reached=totals["places_reached"],
            investment=totals["investment"],
            participants=totals["participants"],
            recorded_by=actor.email,
        )[0][0]
        db.audit(cursor, actor, "decision recorded", f"decision {decision_id}: {what} (owner {owner})")
    return Decision(int(decision_id), what, owner, "open")


def set_state(con: duckdb.DuckDBPyConnection, actor: User, decision_id: int, state: str) -> Decision:
    """Move a decision to another state (open, in_progress, done, dropped)."""
    require(actor, "record_decisions")
    wanted = (state or "").strip().lower().replace(" ", "_").replace("-", "_")
    if wanted not in STATES:
        raise DecisionProblem(f"{state!r} is not a state; use one of {', '.join(STATES)}.")
    with db.transaction(con) as cursor:
        changed = db.execute(
            cursor, "loop_set_decision_state", state=wanted, changed_by=actor.email, decision_id=int(decision_id)
        )
        if not changed:
            raise DecisionProblem(f"There is no decision {decision_id}; `decisions list` shows them.")
        db.audit(cursor, actor, "decision state changed", f"decision {decision_id}: {wanted}")
        row = cursor.execute("SELECT what, owner FROM decisions WHERE decision_id = ?", [int(decision_id)]).fetchone()
    return Decision(int(decision_id), row[0], row[1], wanted)


def decisions(con: duckdb.DuckDBPyConnection, states: list[str] | tuple[str, ...] = ()) -> pd.DataFrame:
    """Every decision (or those in the given states), open ones first. Everyone may read them."""
    return db.query(con, "loop_decisions", states=list(states))


def since_last_time(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    today: date | None = None,
    states: list[str] | tuple[str, ...] = (),
) -> pd.DataFrame:
    """Each decision with its snapshot, the same view's figures now (now_*) and what moved (moved_* = now minus
    snapshot), worked out with the filters the decision was made on."""
    found = decisions(con, states)
    rows = []
    for row in found.itertuples(index=False):
        now = analysis.headline_totals(con, framework, filters_of(row.view_query, framework), today=today)
        figures = {}
        for key in SNAPSHOT_FIGURES:
            before = getattr(row, f"snapshot_{key}")
            figures[f"now_{key}"] = now[key]
            figures[f"moved_{key}"] = now[key] - before
        rows.append(figures)
    moved = pd.DataFrame(
        rows, index=found.index, columns=[f"{p}_{k}" for k in SNAPSHOT_FIGURES for p in ("now", "moved")]
    )
    return pd.concat([found, moved], axis=1)


def _signed(value: float, money: bool = False) -> str:
    if round(value) == 0:
        return "no change"
    text = f"£{abs(value):,.0f}" if money else f"{abs(value):,.0f}"
    return ("+" if value > 0 else "-") + text


def movement_text(row) -> str:
    """What moved in a decision's figures, in words: 'activities +12; investment +£40,000; ...'."""
    parts = [
        f"activities {_signed(row.moved_activities)}",
        f"investment {_signed(row.moved_investment, True)}",
        f"participants (attendances) {_signed(row.moved_participants)}",
    ]
    return "; ".join(parts)


def view_words(framework: Framework, query: str | None, view_page: str | None = None) -> str:
    """The view a decision was made on, in words: 'Coverage and gaps: Places: Mansfield; Period: 1 January 2026 to
    30 June 2026' (the page, then its filters as Filters.describe says them)."""
    described = filters_of(query or "", framework).describe(framework)
    return f"{view_page}: {described}" if isinstance(view_page, str) and view_page else described


def since_last_time_table(table: pd.DataFrame, framework: Framework) -> pd.DataFrame:
    """The board's table: decision, owner, state, due, the view it was made on (in words), and what moved in that
    view's figures since it was recorded."""
    return pd.DataFrame(
        {
            "Decision": table.what.to_numpy(),
            "Owner": table.owner.to_numpy(),
            "State": table.state.map(STATES).to_numpy(),
            "Due": [periods.govuk_date(d) if pd.notna(d) else "" for d in table.due_date],
            "Recorded": [periods.govuk_date(d) for d in table.decided_on],
            "View": [view_words(framework, q, p) for q, p in zip(table.view_query, table.view_page)],
            "Activities moved": [_signed(v) for v in table.moved_activities],
            "Investment moved": [_signed(v, True) for v in table.moved_investment],
        }
    )


def since_last_time_headline(table: pd.DataFrame) -> str:
    """One sentence: how many decisions, and where they stand."""
    counts = table.state.value_counts()
    parts = [f"{counts[s]} {STATES[s].lower()}" for s in STATES if counts.get(s, 0)]
    noun = "board decision" if len(table) == 1 else "board decisions"
    return f"Since last time: {len(table)} {noun}, " + ", ".join(parts) + "."
