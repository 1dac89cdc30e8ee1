"""Every label says what its number means: which rule, which places, which period.

Figures are worked out here another way (plain Python over the stored rows) and compared with what the label says;
wording is checked for the rule it must name."""

from __future__ import annotations

from datetime import date
from statistics import median

import pandas as pd
import pytest

from strategy import analysis, db, exports
from strategy.access import LOCAL_USER, User
from strategy.board import headlines, slides
from strategy.filters import Filters
from strategy.indicators import trends
from strategy.loop import decisions, fit, scenarios
from tests.conftest import DEMO_TODAY
from tests.unit.test_loop import _cells_by_partner, _kinds, add
from tests.unit.test_true_labels import _flag_by_hand

MANSFIELD, BOLSOVER, DERBYSHIRE = "E07000174", "E07000033", "E10000007"
ANALYST = User("analyst@example.org", "analyst")
YEAR_2025 = Filters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))


def _slide(con, framework, filters, builder):
    return builder(slides.PackContext(con, framework, filters, analysis.data_coverage(con), DEMO_TODAY))


@pytest.fixture
def con(demo_db_copy):
    con = db.connect(demo_db_copy)
    db.migrate(con)
    yield con
    con.close()


# 1. One thin rule: the whole partnership's yardstick, on Coverage, in the pack and on Where you fit -----------


def _hand_kinds(con, framework):
    cells, places = _cells_by_partner(con, framework, DEMO_TODAY.year)
    population = dict(analysis.need_by_place(con, DEMO_TODAY)[["place_code", "population"]].itertuples(index=False))
    counts = {k: sum(v.values()) for k, v in cells.items()}
    return cells, _kinds(counts, population, places, [a.code for a in framework.aims])


@pytest.mark.parametrize("place", [MANSFIELD, DERBYSHIRE])
def test_thin_is_judged_against_the_whole_partnership_under_a_place_filter(demo_con, framework, place):
    _, kinds = _hand_kinds(demo_con, framework)
    chosen = Filters(places=(place,))
    inside = set(chosen.local_places(framework))
    expected = {k: v for k, v in kinds.items() if v is not None and k[0] in inside}
    found = analysis.gaps(demo_con, framework, chosen, today=DEMO_TODAY)
    assert dict(zip(zip(found.place_code, found.aim_code), found.kind)) == expected
    # the filter only chooses which places are listed: their verdicts are the whole list's
    whole = analysis.gaps(demo_con, framework, Filters(), today=DEMO_TODAY)
    assert sorted(zip(found.place_code, found.aim_code, found.kind)) == sorted(
        (p, a, k) for p, a, k in zip(whole.place_code, whole.aim_code, whole.kind) if p in inside
    )


def test_a_place_shown_alone_is_thin_when_it_falls_below_the_partnership_s_middle(con, framework):
    """Shown alone, a place is its own middle place, so the quarter rule could never find it thin by the places
    shown: it must be judged against the whole partnership. Every other place gets more activity for an aim until
    Mansfield, with 3 or more activities, falls under a quarter of the partnership's middle place."""
    population = dict(analysis.need_by_place(con, DEMO_TODAY)[["place_code", "population"]].itertuples(index=False))
    others = [p.code for p in framework.local_places(DEMO_TODAY) if p.code != MANSFIELD]
    cells, _ = _hand_kinds(con, framework)
    aim = min(
        (a.code for a in framework.aims if sum(cells.get((MANSFIELD, a.code), {}).values()) >= 3),
        key=lambda a: sum(cells[(MANSFIELD, a)].values()),
    )
    added = 0
    while _hand_kinds(con, framework)[1][(MANSFIELD, aim)] != "thin":
        add(
            con,
            "Everywhere Else Trust",
            activity_id=f"WIDE-{added}",
            sector="sport",
            places=others,
            aims=[aim],
            start=f"{DEMO_TODAY.year}-01-01",
        )
        added += 1
        assert added < 400
    mansfield = sum(_hand_kinds(con, framework)[0][(MANSFIELD, aim)].values())
    assert mansfield >= analysis.THIN_CELL  # thin by the quarter rule, not by the count
    alone = analysis.gaps(con, framework, Filters(places=(MANSFIELD,)), today=DEMO_TODAY)
    assert (MANSFIELD, aim, "thin") in set(zip(alone.place_code, alone.aim_code, alone.kind))
    yardstick = median(
        sum(_hand_kinds(con, framework)[0].get((p, aim), {}).values()) / population[p] * 100_000
        for p in [MANSFIELD, *others]
    )
    assert analysis.gap_yardstick(con, framework, analysis.year_filters(Filters(), DEMO_TODAY.year), DEMO_TODAY)[
        aim
    ] == pytest.approx(yardstick)


def test_where_you_fit_and_coverage_agree_on_which_pairs_are_thin(con, framework):
    cells, _ = _hand_kinds(con, framework)
    partners = pd.Series([p for by in cells.values() for p in by]).value_counts()
    whole = analysis.gaps(con, framework, Filters(), today=DEMO_TODAY)
    listed = dict(zip(zip(whole.place_code, whole.aim_code), whole.kind))
    checked = 0
    for partner in partners.index[:6]:
        found = fit.where_you_fit(con, framework, LOCAL_USER, partner, today=DEMO_TODAY).gaps_filled
        for row in found.itertuples():
            # "still a gap" on Where you fit is exactly "on the gap list" on Coverage and gaps
            assert (not row.filled) == ((row.place_code, row.aim_code) in listed), (partner, row)
            if not row.filled:
                assert listed[(row.place_code, row.aim_code)] == "thin"
            checked += 1
    assert checked  # the demo has pairs the busiest partners lift or leave thin


def test_the_pages_and_the_pack_name_the_whole_partnership_yardstick(demo_con, framework):
    slide = _slide(demo_con, framework, Filters(places=(MANSFIELD,)), slides.gaps_slide)
    assert "middle of all the partnership's places, whatever the place filter" in slide.caveat
    assert analysis.THIN_RULE in slide.caveat


# 2 and 8. What-if: today and the scenario over the same places, by the same measure, in a named period ----------


def test_what_if_counts_today_and_the_scenario_over_the_same_places_and_measure(demo_con, framework):
    view = Filters(places=(MANSFIELD,))  # a place filter does not narrow the scenario: money moves between any places
    today_table = scenarios.need_and_effort(demo_con, framework, view)
    table = scenarios.with_scenario(
        today_table, scenarios.added_money(today_table, scenarios.Scenario("spread", 250_000.0))
    )
    local = [p.name for p in framework.local_places(DEMO_TODAY)]
    expected_today = sum(_flag_by_hand(demo_con, name) for name in local)
    sentence = scenarios.flagged_sentence(table, view)
    assert (
        f"of all the partnership's {len(local)} places, whatever the place filter: {expected_today} today" in sentence
    )
    assert "by investment per head (all dates)" in sentence
    assert f"{int(table.scenario_high_need_low_effort.sum())} in the scenario" in sentence


def test_the_scenario_slide_says_which_period_per_head_today_is(con, framework):
    view = Filters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
    scenarios.save_scenario(
        con, framework, ANALYST, "£250k by need", scenarios.Scenario("spread", 250_000.0), view, today=DEMO_TODAY
    )
    slide = _slide(con, framework, Filters(), slides.scenario_slides)[0]
    assert "Per head today is the investment reported for 1 January 2025 to 31 December 2025" in slide.caveat
    assert "(by investment per head, 1 January 2025 to 31 December 2025)" in slide.headline
    # and the figure is that period's: the saved view's money over population
    expected = scenarios.need_and_effort(con, framework, view, DEMO_TODAY).set_index("place_name")
    shown = slide.table.set_index("Place")["Per head today (£)"]
    for name, value in shown.items():
        per_head = expected.loc[name, "investment"] / expected.loc[name, "population"]
        assert value == pytest.approx(per_head, abs=0.5)


def test_since_last_time_shows_each_decision_s_view_in_words(con, framework):
    view = Filters(places=(MANSFIELD,), date_from=date(2026, 1, 1), date_to=date(2026, 6, 30))
    decisions.record_decision(
        con,
        framework,
        ANALYST,
        "Fund walking groups",
        "Mansfield District Council",
        view,
        view_page="Coverage and gaps",
        today=DEMO_TODAY,
    )
    slide = _slide(con, framework, Filters(), slides.since_last_time_slide)
    assert slide.table["View"].tolist() == [
        "Coverage and gaps: Places: Mansfield; Period: 1 January 2026 to 30 June 2026"
    ]
    assert slide.table["Recorded"].tolist() == ["30 June 2026"]


# 3. The gap year says when it is only part of a year -----------------------------------------------------------


def test_the_gap_year_says_when_it_is_part_of_a_year(framework):
    today = date(2026, 11, 30)
    assert analysis.gap_period_label(Filters(), today) == "2026 (1 January to 30 November)"
    assert analysis.gap_period_label(YEAR_2025, today) == "2025"
    assert (
        analysis.gap_period_label(Filters(date_from=date(2025, 3, 1), date_to=date(2025, 6, 30)), today)
        == "2025 (1 March to 30 June)"
    )
    assert "planned to start later in 2026 counts already" in analysis.gap_period_note(Filters(), today)
    assert analysis.gap_period_note(YEAR_2025, today) == ""


def test_the_gaps_slide_names_the_part_of_the_year(demo_con, framework):
    slide = _slide(demo_con, framework, Filters(), slides.gaps_slide)
    part = f"{DEMO_TODAY.year} (1 January to {DEMO_TODAY.day} {DEMO_TODAY:%B})"
    assert part in slide.figure.layout.title.text and part in slide.caveat
    assert part in slide.headline or slide.headline.startswith("No place")


# 4. The Overview's investment: the whole, or these places' share ----------------------------------------------


def test_investment_words_say_these_places_share(demo_con, framework):
    share = demo_con.execute(
        "SELECT sum(a.investment_gbp * s.share) FROM activities a JOIN activity_places s USING (activity_key) "
        "WHERE a.replaced_by_upload IS NULL AND s.place_code = ?",
        [MANSFIELD],
    ).fetchone()[0]
    words = analysis.investment_words(
        analysis.headline_totals(demo_con, framework, Filters(places=(MANSFIELD,)))["investment"],
        Filters(places=(MANSFIELD,)),
    )
    assert words.startswith(f"£{share:,.0f}: these places' share of the investment")
    assert "apportioned by population" in words and "in total" not in words
    assert analysis.investment_words(10.0, Filters()) == "£10 in total"
    assert analysis.investment_words(10.0, YEAR_2025).endswith("run in 1 January 2025 to 31 December 2025")


# 5. Dates people read are written as GOV.UK writes them -------------------------------------------------------


def test_filters_exports_and_decisions_write_dates_in_words(framework):
    text = Filters(date_from=date(2024, 4, 1), date_to=date(2025, 3, 31)).describe(framework)
    assert text == "Period: 1 April 2024 to 31 March 2025" and "2024-04-01" not in text
    assert "made on 29 November 2026" in exports.describe_export(3, "none", False, date(2026, 11, 29))
    words = decisions.view_words(framework, "place=E07000174&from=2026-01-01", "Overview")
    assert words == "Overview: Places: Mansfield; Period: 1 January 2026 onwards"
    assert decisions.view_words(framework, "", None).startswith("All places")


def test_the_export_about_sheet_says_made_on_in_words():
    import io

    import openpyxl

    book = openpyxl.load_workbook(
        io.BytesIO(exports.table_bytes(pd.DataFrame({"a": [1]}), "xlsx", made_on=date(2026, 11, 29)))
    )
    about = [row[0].value for row in book["About"].iter_rows()]
    assert "Made on: 29 November 2026" in about


# 7. The activities-started bars say the period limits them ----------------------------------------------------


def test_activity_bars_say_the_period_limits_them(demo_con, framework):
    assert trends.activity_bars_label("A1", True, Filters()) == "Activities started for aim A1 in the places shown"
    label = trends.activity_bars_label("A1", True, YEAR_2025)
    assert label.endswith(", only those running in 1 January 2025 to 31 December 2025")
    slide = _slide(
        demo_con,
        framework,
        Filters(places=(MANSFIELD,), date_from=date(2025, 1, 1), date_to=date(2025, 12, 31)),
        slides.trends_slide,
    )
    bars = [t for t in slide.figure.data if t.type == "bar"][0]
    assert "only those running in 1 January 2025 to 31 December 2025" in bars.name
    assert "only those running in 1 January 2025 to 31 December 2025" in slide.caveat
    assert "only those running in 1 January 2025 to 31 December 2025" in slide.summary
    # the bars are the activities of the period only: fewer than with no period, counted by hand
    started = demo_con.execute(
        "SELECT count(DISTINCT a.activity_key) FROM activities a JOIN activity_aims m USING (activity_key) "
        "JOIN activity_places s USING (activity_key) WHERE a.replaced_by_upload IS NULL AND m.aim = ? "
        "AND s.place_code = ? AND a.start_date <= DATE '2025-12-31' "
        "AND greatest(a.start_date, coalesce(a.end_date, ?)) >= DATE '2025-01-01'",
        [trends.indicator_definition(demo_con, "93015")["aim"], MANSFIELD, DEMO_TODAY],
    ).fetchone()[0]
    assert int(pd.Series(bars.y).fillna(0).sum()) == started


# 9. The trend headline says what kind of year ------------------------------------------------------------------


def test_the_trend_headline_names_the_kind_of_year(demo_con, framework):
    slide = _slide(demo_con, framework, Filters(places=(MANSFIELD,)), slides.trends_slide)
    definition = trends.indicator_definition(demo_con, "93015")
    latest = demo_con.execute(
        "SELECT max(period) FROM indicator_values WHERE indicator_id = '93015' AND place_code = ?", [MANSFIELD]
    ).fetchone()[0]
    assert definition["year_starts"] == "11-16"
    assert slide.headline.startswith(f"{definition['short_name']}, {latest} (mid-Nov to mid-Nov): ")


# 10. Commitments, the map summary ---------------------------------------------------------------------------


def test_the_map_summary_has_units_and_says_how_money_is_apportioned(demo_con, framework):
    table = analysis.need_vs_effort(demo_con, framework, Filters())
    text = headlines.map_extremes(table, "investment_per_head")
    top = table.loc[(table.investment / table.population).idxmax()]
    assert text.startswith(f"Highest: {top.place_name} (£")
    assert "per head" in text and "apportioned between the activity's places by population" in text
    assert "per 100,000 people" in headlines.map_extremes(table, "activities_per_100k")
    assert "% of adults inactive" in headlines.map_extremes(table, "inactive_pct")


def test_the_commitments_slide_does_not_count_overdue_ones_as_open(con, framework):
    from strategy.learning import commitments
    from strategy.learning.exports import board_pack_sections

    promises = commitments.commitments(con, framework, Filters(), DEMO_TODAY)
    section = next(s for s in board_pack_sections(con, framework, Filters(), DEMO_TODAY) if s.title == "Commitments")
    due = pd.to_datetime(promises.due_date)
    late = int(((promises.state != "kept") & (due < pd.Timestamp(DEMO_TODAY))).sum())
    still_open = int(((promises.state != "kept") & ~(due < pd.Timestamp(DEMO_TODAY))).sum())

    def its(n: int) -> str:
        return "its" if n == 1 else "their"

    unkept = late + still_open
    assert section.headline.startswith(
        f"{unkept} commitment{'' if unkept == 1 else 's'} not yet kept: {still_open} "
        f"open and not past {its(still_open)} date, {late} past {its(late)} date"
    )


def test_the_map_slide_says_areas_when_it_draws_areas_and_circles_only_when_it_draws_circles(demo_con, framework):
    table = analysis.need_vs_effort(demo_con, framework, Filters())
    areas = headlines.map_summary(table, "activities_per_100k", "Activities per 100,000 people")
    circles = headlines.map_summary(table, "activities_per_100k", "Activities per 100,000 people", areas=False)
    assert f"A map of {len(table)} places, each area shaded by activities per 100,000 people." in areas
    assert "circle" not in areas and "each circle shaded and sized" in circles
