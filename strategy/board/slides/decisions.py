"""What the board recorded: its decisions since last time, and the scenarios it saved."""

from __future__ import annotations

from strategy import charts
from strategy.board.slides.common import PackContext, Slide


def since_last_time_slide(context: PackContext) -> Slide | None:
    """The pack opens with the board's own decisions: each one, its owner, its state, and what moved in the
    figures of the view it was made on since it was recorded (left out while no decision is recorded)."""
    from strategy.loop import decisions

    found = decisions.since_last_time(context.con, context.framework, context.today)
    if found.empty:
        return None
    table = decisions.since_last_time_table(found, context.framework)
    figure = charts.table_figure(table.head(10), "Since last time: the board's decisions", context.source)
    summary = (
        decisions.since_last_time_headline(found) + " The table lists each decision with its owner, its "
        "state, the view it was made on, and how that view's activities and investment moved since it was "
        "recorded."
    )
    return Slide(
        "since_last_time",
        "Since last time",
        decisions.since_last_time_headline(found),
        figure,
        table.head(12),
        summary,
        context.source,
        context.caveat(decisions.MOVEMENT_NOTE, "Each decision keeps the view it was made on as a link."),
    )


def scenario_slides(context: PackContext) -> list[Slide]:
    """One slide per saved scenario chosen for the pack, each marked 'Scenario, not actual' in its title, headline
    and small print; the reported slides never include scenario money."""
    from strategy.loop import decisions, scenarios

    built = []
    for row in scenarios.saved_scenarios(context.con, in_board_pack_only=True).itertuples():
        filters = decisions.filters_of(row.view_query, context.framework)
        today_table = scenarios.need_and_effort(context.con, context.framework, filters, context.today)
        table = scenarios.with_scenario(today_table, scenarios.saved_added(row))
        title = f"{scenarios.SCENARIO_MARK}: {row.name}"
        figure = charts.need_effort_figure(
            scenarios.scenario_figure_table(table), "investment_per_head", title, context.source
        )
        described = scenarios.describe(context.framework, scenarios.saved_settings(row))
        flagged = int(table.scenario_high_need_low_effort.sum())
        headline = (
            f"{scenarios.SCENARIO_MARK}: {row.name}. High need, low effort places: "
            f"{int(table.high_need_low_effort.sum())} today, {flagged} in the scenario "
            f"(by investment per head, {filters.describe_period()})."
        )
        built.append(
            Slide(
                f"scenario_{row.scenario_id}",
                f"Scenario: {row.name}",
                headline,
                figure,
                scenarios.per_place_table(table).head(12),
                f"{headline} {described}",
                context.source,
                context.caveat(
                    f"{scenarios.SCENARIO_MARK}: today's figures with the scenario's money "
                    "added; no activity or reported figure is changed.",
                    scenarios.per_head_today_note(filters),
                    scenarios.flagged_sentence(table, filters),
                    scenarios.SPREAD_RULE if row.kind == "spread" else "",
                ),
            )
        )
    return built
