"""Partners in the loop: where a partner fits, decisions that come back, what-if money.

Expected figures are worked out here another way (plain Python over the stored rows), never copied from the code."""

import json
from datetime import date
from statistics import median

import pandas as pd
import pytest

from strategy import analysis, db
from strategy.access import LOCAL_USER, PermissionDenied, User
from strategy.board import slides
from strategy.filters import Filters
from strategy.loop import decisions, fit, scenarios
from strategy.names import name_key
from tests.conftest import DEMO_TODAY, add_activity

BOLSOVER, MANSFIELD, DERBY = "E07000033", "E07000174", "E06000015"
NEWCOMER = "Bolsover Young Movers"
ANALYST = User("analyst@example.org", "analyst")
VIEWER = User("viewer@example.org", "viewer")


@pytest.fixture
def con(demo_db_copy):
    con = db.connect(demo_db_copy)
    db.migrate(con)
    yield con
    con.close()


def add(con, partner: str, **activity):
    """add_activity, registering the partner first (the demo's partners were given their numbers directly)."""
    con.execute(
        "INSERT INTO partners (partner_id, name, name_key, sector) SELECT "
        "(SELECT max(partner_id) + 1 FROM partners), ?, ?, ? WHERE NOT EXISTS "
        "(SELECT 1 FROM partners WHERE name = ?)",
        [partner, name_key(partner), activity["sector"], partner],
    )
    return add_activity(con, partner=partner, **activity)


def _running_in(start: date, end, year: int) -> bool:
    """The counting rule for a year: an activity runs from its start to its end (no end: up to today, or its first
    day when it starts after today)."""
    last = end if end is not None else max(start, DEMO_TODAY)
    return start <= date(year, 12, 31) and last >= date(year, 1, 1)


def _cells_by_partner(con, framework, year):
    """{(place, aim): {partner: activities}} over the stored rows, each activity in every district it names."""
    rows = con.execute(
        "SELECT a.activity_key, p.name, a.start_date, a.end_date FROM activities a JOIN partners p USING (partner_id) "
        "WHERE a.replaced_by_upload IS NULL"
    ).fetchall()
    aims = con.execute("SELECT activity_key, aim FROM activity_aims").fetchall()
    places = con.execute("SELECT activity_key, place_code FROM activity_places").fetchall()
    aims_of, places_of = {}, {}
    for key, aim in aims:
        aims_of.setdefault(key, set()).add(aim)
    day = date(year, 12, 31) if date(year, 12, 31) < DEMO_TODAY else DEMO_TODAY
    local = {p.code for p in framework.local_places(day)}
    for key, code in places:
        for district in framework.places_within(code, day):
            area = framework.area_on(district, day)
            if area in local:
                places_of.setdefault(key, set()).add(area)
    cells = {}
    for key, partner, start, end in rows:
        if _running_in(start, end, year):
            for place in places_of.get(key, ()):
                for aim in aims_of.get(key, ()):
                    cells.setdefault((place, aim), {}).setdefault(partner, 0)
                    cells[(place, aim)][partner] += 1
    return cells, sorted(local)


def _kinds(counts: dict, population: dict, places, aims, yardstick: dict | None = None):
    """The gap rule by hand: none, or thin (fewer than 3, or under a quarter of the aim's median per 100,000 over
    all the partnership's places, counted in `yardstick`: the whole partnership's counts, default `counts`)."""
    kinds = {}
    yardstick = counts if yardstick is None else yardstick
    for aim in aims:
        rates = {p: counts.get((p, aim), 0) / population[p] * 100_000 for p in places}
        middle = median(yardstick.get((p, aim), 0) / population[p] * 100_000 for p in places)
        for p in places:
            n = counts.get((p, aim), 0)
            kinds[(p, aim)] = "none" if n == 0 else "thin" if n < 3 or rates[p] < middle / 4 else None
    return kinds


def test_gaps_filled_are_the_pairs_that_were_a_gap_without_the_partner(con, framework):
    add(
        con,
        NEWCOMER,
        activity_id="BYM-1",
        sector="sport",
        places=[BOLSOVER],
        aims=["A2", "A1"],
        start="2026-02-01",
        end="2026-11-30",
        investment=6000,
    )
    add(
        con,
        NEWCOMER,
        activity_id="BYM-2",
        sector="sport",
        places=[MANSFIELD],
        aims=["A2"],
        start="2026-03-01",
        investment=1000,
    )
    year = DEMO_TODAY.year
    cells, places = _cells_by_partner(con, framework, year)
    population = dict(analysis.need_by_place(con, DEMO_TODAY)[["place_code", "population"]].itertuples(index=False))
    aims = [a.code for a in framework.aims]
    everyone = {k: sum(v.values()) for k, v in cells.items()}
    without = {k: sum(n for p, n in v.items() if p != NEWCOMER) for k, v in cells.items()}
    # one yardstick, everyone's as it is: without the partner only the pair's own count changes
    before, now = _kinds(without, population, places, aims, everyone), _kinds(everyone, population, places, aims)
    theirs = {k for k, v in cells.items() if v.get(NEWCOMER)}
    expected = {k: now[k] is None for k in theirs if before[k] is not None}

    found = fit.where_you_fit(con, framework, LOCAL_USER, NEWCOMER, today=DEMO_TODAY)
    got = {(r.place_code, r.aim_code): bool(r.filled) for r in found.gaps_filled.itertuples()}
    assert got == expected
    assert (BOLSOVER, "A2") in got  # the demo has nothing for children and young people in Bolsover from 2025
    row = found.gaps_filled.set_index(["place_code", "aim_code"]).loc[(BOLSOVER, "A2")]
    assert row.kind_before == "none" and row.activities_before == without.get((BOLSOVER, "A2"), 0)
    assert found.activities == 2 and str(year) in found.summary


def test_where_you_fit_names_the_aims_share_and_others_in_the_same_places(con, framework):
    add(
        con,
        NEWCOMER,
        activity_id="BYM-1",
        sector="sport",
        places=[MANSFIELD],
        aims=["A1"],
        ways=["W2"],
        start="2026-02-01",
        end="2026-11-30",
    )
    year = DEMO_TODAY.year
    cells, _ = _cells_by_partner(con, framework, year)
    expected_others = sorted(p for p in cells[(MANSFIELD, "A1")] if p != NEWCOMER)
    found = fit.where_you_fit(con, framework, LOCAL_USER, NEWCOMER, today=DEMO_TODAY)
    assert sorted(found.others.partner) == expected_others
    aims = found.aims.set_index("code")
    assert aims.loc["A1", "partner_share"] == 100.0 and aims.loc["A2", "partner_share"] == 0.0
    assert expected_others[0] in fit.invitation(found) or len(expected_others) > 5


def test_partners_see_only_their_own_fit_and_viewers_none(con, framework):
    own = User("p@example.org", "partner", NEWCOMER)
    fit.where_you_fit(con, framework, own, NEWCOMER, today=DEMO_TODAY)
    with pytest.raises(PermissionDenied, match="only for your own organisation"):
        fit.where_you_fit(con, framework, own, "Amber Valley Leisure Trust", today=DEMO_TODAY)
    with pytest.raises(PermissionDenied):
        fit.where_you_fit(con, framework, VIEWER, NEWCOMER, today=DEMO_TODAY)


def test_since_last_time_movement_is_now_minus_the_snapshot(con, framework):
    view = Filters(places=(MANSFIELD,))
    recorded = decisions.record_decision(
        con,
        framework,
        ANALYST,
        "Put more into Mansfield's inactive adults",
        "Mansfield District Council",
        view,
        due_date=date(2026, 9, 30),
        view_page="Coverage and gaps",
        today=DEMO_TODAY,
    )
    stored = decisions.decisions(con).iloc[0]
    assert stored.view_query == "place=E07000174"
    # what moved afterwards: one whole-Mansfield activity of £5,000 and 120 attendances, all of it in the past
    add(
        con,
        "Mansfield Movers",
        activity_id="NEW-1",
        sector="sport",
        places=[MANSFIELD],
        aims=["A3"],
        start="2026-01-01",
        end="2026-03-31",
        investment=5000,
        participants=120,
    )
    decisions.set_state(con, ANALYST, recorded.decision_id, "in progress")
    found = decisions.since_last_time(con, framework, today=DEMO_TODAY).iloc[0]
    assert found.state == "in_progress"
    assert found.moved_activities == 1
    assert found.moved_investment == pytest.approx(5000)
    assert found.moved_participants == pytest.approx(120)
    assert found.now_investment == pytest.approx(stored.snapshot_investment + 5000)
    pack = slides.board_slides(con, framework, Filters(), today=DEMO_TODAY)
    assert pack[0].key == "since_last_time"
    first = pack[0].table.iloc[0]
    assert first["Owner"] == "Mansfield District Council" and first["State"] == "In progress"
    assert first["Investment moved"] == "+£5,000" and first["Activities moved"] == "+1"
    # dates as GOV.UK writes them, as everywhere else in the pack
    assert first["Due"] == "30 September 2026" and first["Recorded"] == f"{DEMO_TODAY.day} {DEMO_TODAY:%B %Y}"


@pytest.mark.parametrize(
    "filled, words",
    [
        ([True], "with them, it is not a gap any more."),
        ([True, True], "with them, none of them is a gap any more."),
        ([False], "it is still thin, so more would help."),
    ],
)
def test_the_fit_summary_says_whether_the_gaps_reached_are_filled(filled, words):
    gaps = pd.DataFrame({"filled": filled})
    empty = pd.DataFrame()
    found = fit.Fit("Bolsover Young Movers", 2026, 3, gaps, empty, empty, empty, empty)
    assert found.summary.endswith(words)


def test_decisions_are_recorded_by_leaders_only_and_bad_input_says_what_to_fix(con, framework):
    for user in (VIEWER, User("p@example.org", "partner", NEWCOMER)):
        with pytest.raises(PermissionDenied):
            decisions.record_decision(con, framework, user, "x", "y", Filters(), today=DEMO_TODAY)
    with pytest.raises(decisions.DecisionProblem, match="what was decided.*who owns it"):
        decisions.record_decision(con, framework, ANALYST, " ", "", Filters(), today=DEMO_TODAY)
    with pytest.raises(decisions.DecisionProblem, match="no experiment 999"):
        decisions.record_decision(con, framework, ANALYST, "x", "y", Filters(), experiment_id=999, today=DEMO_TODAY)
    made = decisions.record_decision(con, framework, ANALYST, "x", "y", Filters(), today=DEMO_TODAY)
    with pytest.raises(decisions.DecisionProblem, match="not a state"):
        decisions.set_state(con, ANALYST, made.decision_id, "finished")
    with pytest.raises(decisions.DecisionProblem, match="no decision 77"):
        decisions.set_state(con, ANALYST, 77, "done")
    with pytest.raises(PermissionDenied):
        decisions.set_state(con, VIEWER, made.decision_id, "done")


def _need(con):
    table = analysis.need_by_place(con, DEMO_TODAY).set_index("place_code")
    return table


def test_a_spread_by_population_gives_every_place_the_same_money_per_head(con, framework):
    today = scenarios.need_and_effort(con, framework, Filters(), DEMO_TODAY)
    budget = 170_000
    added = scenarios.added_money(today, scenarios.Scenario("spread", budget, weights=(("population", 1.0),)))
    result = scenarios.with_scenario(today, added).set_index("place_code")
    need = _need(con)
    per_head = budget / need.population.sum()
    for code, row in result.iterrows():
        assert row.scenario_investment_per_head - row.investment_per_head == pytest.approx(per_head)
        assert row.scenario_investment == pytest.approx(
            row.investment + budget * need.population[code] / need.population.sum()
        )


def test_a_spread_by_weighted_need_follows_the_weights(con, framework):
    today = scenarios.need_and_effort(con, framework, Filters(), DEMO_TODAY)
    weights = {"population": 2.0, "inactive": 1.0, "imd": 1.0}  # scaled to 50%, 25%, 25%
    added = scenarios.added_money(today, scenarios.Scenario("spread", 100_000, weights=tuple(weights.items())))
    need = _need(con)
    for code in need.index:
        share = (
            0.5 * need.population[code] / need.population.sum()
            + 0.25 * need.inactive_pct[code] / need.inactive_pct.sum()
            + 0.25 * need.imd2019_score[code] / need.imd2019_score.sum()
        )
        assert added[code] == pytest.approx(100_000 * share)
    assert added.sum() == pytest.approx(100_000)


def test_a_move_between_places_changes_their_per_head_only(con, framework):
    today = scenarios.need_and_effort(con, framework, Filters(), DEMO_TODAY)
    before = today.set_index("place_code")
    added = scenarios.added_money(today, scenarios.Scenario("move", 20_000, DERBY, BOLSOVER))
    result = scenarios.with_scenario(today, added).set_index("place_code")
    pop = _need(con).population
    assert result.scenario_investment_per_head[BOLSOVER] == pytest.approx(
        (before.investment[BOLSOVER] + 20_000) / pop[BOLSOVER]
    )
    assert result.scenario_investment_per_head[DERBY] == pytest.approx((before.investment[DERBY] - 20_000) / pop[DERBY])
    others = result.drop(index=[BOLSOVER, DERBY])
    assert (others.scenario_investment == others.investment).all()
    with pytest.raises(scenarios.ScenarioProblem, match="move at most"):
        scenarios.added_money(today, scenarios.Scenario("move", before.investment[BOLSOVER] + 1, BOLSOVER, DERBY))


def test_saving_a_scenario_changes_no_reported_figure(con, framework):
    def settled(table: pd.DataFrame, keys: list[str]) -> dict:
        """A table in a fixed row order with money to the penny (sums of floats may differ in the last bits)."""
        table = table.sort_values(keys).reset_index(drop=True)
        return table.round(6).astype(object).where(table.notna(), None).to_dict("list")

    def reported():
        everything = Filters()
        totals = analysis.headline_totals(con, framework, everything)
        return (
            {k: round(v, 6) for k, v in totals.items()},
            settled(analysis.heatmap(con, framework, everything, "place", "aim"), ["row_code", "column_code"]),
            settled(analysis.need_vs_effort(con, framework, everything), ["place_code"]),
            settled(analysis.gaps(con, framework, everything), ["place_code", "aim_code"]),
            con.execute("SELECT count(*), sum(investment_gbp), sum(participants) FROM activities").fetchall(),
        )

    before = reported()
    scenarios.save_scenario(
        con, framework, ANALYST, "Half a million by need", scenarios.Scenario("spread", 500_000), Filters()
    )
    scenarios.save_scenario(
        con,
        framework,
        ANALYST,
        "Derby to Bolsover",
        scenarios.Scenario("move", 10_000, DERBY, BOLSOVER, aim="A2"),
        Filters(),
    )
    assert reported() == before
    pack = slides.board_slides(con, framework, Filters(), today=DEMO_TODAY)
    marked = [s for s in pack if s.key.startswith("scenario_")]
    assert len(marked) == 2 and all(s.headline.startswith("Scenario, not actual") for s in marked)
    assert all("Scenario, not actual" in s.caveat for s in marked)
    need_slide = next(s for s in pack if s.key == "need_effort")
    assert "Scenario" not in need_slide.headline


def test_scenarios_are_saved_by_leaders_with_a_unique_name(con, framework):
    with pytest.raises(PermissionDenied):
        scenarios.save_scenario(con, framework, VIEWER, "x", scenarios.Scenario("spread", 1), Filters())
    scenarios.save_scenario(con, framework, ANALYST, "Plan A", scenarios.Scenario("spread", 1000), Filters())
    with pytest.raises(scenarios.ScenarioProblem, match="saved already"):
        scenarios.save_scenario(con, framework, ANALYST, "plan a", scenarios.Scenario("spread", 1000), Filters())
    with pytest.raises(scenarios.ScenarioProblem, match="above £0"):
        scenarios.save_scenario(con, framework, ANALYST, "Plan B", scenarios.Scenario("spread", 0), Filters())
    saved = scenarios.saved_scenarios(con)
    assert saved.name.tolist() == ["Plan A"]
    assert sum(p["added"] for p in saved.places[0]) == pytest.approx(1000)


def test_gaps_reached_marks_only_the_scenarios_aim_in_its_places():
    gaps = pd.DataFrame({"place_code": [BOLSOVER, BOLSOVER, DERBY], "aim_code": ["A2", "A3", "A2"]})
    added = pd.Series({BOLSOVER: 10_000.0, DERBY: -10_000.0})
    reached = scenarios.gaps_reached(gaps, added, "A2")
    assert reached.scenario_money.tolist() == [10_000.0, 0.0, -10_000.0]


def test_decisions_and_scenarios_from_the_command_line(demo_db_copy, framework, capsys, signin_secrets):
    from strategy.__main__ import main
    from strategy.users import add_user

    with db.connect(demo_db_copy) as con:
        db.migrate(con)
        add_user(con, LOCAL_USER, "lead@example.org", "analyst")
        add_user(con, LOCAL_USER, "board@example.org", "viewer")
        snapshot = analysis.headline_totals(con, framework, Filters(places=(MANSFIELD,), aims=("A3",)))
    base = ["--db", str(demo_db_copy)]
    assert (
        main(
            [
                *base,
                "decisions",
                "add",
                "Ask Mansfield's GPs to refer to walking groups",
                "--owner",
                "Mid Notts ICB",
                "--due",
                "2026-12-31",
                "--place",
                "Mansfield",
                "--aim",
                "A3",
                "--as",
                "lead@example.org",
            ]
        )
        == 0
    )
    assert "Recorded decision 1" in capsys.readouterr().out
    assert main([*base, "decisions", "add", "x", "--owner", "y", "--as", "board@example.org"]) == 1
    assert "Only analysts and admins can record board decisions" in capsys.readouterr().err
    assert (
        main([*base, "decisions", "add", "x", "--owner", "y", "--due", "31/12/2026", "--as", "lead@example.org"]) == 2
    )
    assert "YYYY-MM-DD" in capsys.readouterr().err
    assert main([*base, "decisions", "set-state", "1", "done", "--as", "lead@example.org"]) == 0
    assert "now done" in capsys.readouterr().out
    assert main([*base, "decisions", "list", "--json", "--as", "board@example.org"]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert [(d["state"], d["view_query"]) for d in listed] == [("done", "place=E07000174&aim=A3")]
    assert listed[0]["snapshot_activities"] == snapshot["activities"] and listed[0]["moved_activities"] == 0
    assert main([*base, "scenarios", "list"]) == 0
    assert "No scenarios saved yet." in capsys.readouterr().out
