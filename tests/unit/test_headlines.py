"""Headlines state one finding with its figures, worked out from the numbers given."""

import pandas as pd
import pytest

from strategy.board import headlines


def test_fewest_names_the_smallest_item_with_count_total_and_share():
    counts = pd.Series({"A1 Culture": 600, "A2 Children": 500, "A3 Greatest inequality": 41}, dtype="int64")
    assert (
        headlines.fewest_headline(counts, 1512, "Aim")
        == "Aim A3 Greatest inequality has the fewest activities: 41 of 1,512, 3%"
    )


def test_fewest_ties_go_to_the_first_item_in_strategy_order():
    counts = pd.Series({"A1": 5, "A2": 3, "A3": 3})
    assert headlines.fewest_headline(counts, 11, "Aim").startswith("Aim A2 has")


def test_fewest_money_has_pounds_and_says_least():
    counts = pd.Series({"A1": 2_000_000.0, "A2": 250_000.4})
    assert (
        headlines.fewest_headline(counts, 2_250_000, "Aim", "investment", least_word="least", money=True)
        == "Aim A2 has the least investment: £250,000 of £2,250,000, 11%"
    )


@pytest.mark.parametrize(
    "part, whole, expected", [(41, 1512, "3%"), (1, 1000, "<1%"), (0, 10, "0%"), (5, 0, "0%"), (10, 10, "100%")]
)
def test_share_never_rounds_a_nonzero_share_to_zero(part, whole, expected):
    assert headlines.share(part, whole) == expected


def test_overview_headline_counts_activities_partners_and_places():
    totals = {"activities": 1512, "partners": 48, "places_reached": 16}
    assert headlines.overview_headline(totals, 17) == "1,512 activities from 48 partners reach 16 of 17 places"
    assert (
        headlines.overview_headline({"activities": 1, "partners": 1, "places_reached": 1}, 17)
        == "1 activity from 1 partner reaches 1 of 17 places"
    )


def test_no_activities_says_so_instead_of_inventing_a_finding():
    assert headlines.overview_headline({"activities": 0, "partners": 0, "places_reached": 0}, 17) == headlines.NO_DATA
    assert headlines.fewest_headline(pd.Series({"A1": 0}), 0, "Aim") == headlines.NO_DATA


def _cells(counts):
    return pd.DataFrame([{"row_label": r, "column_label": c, "activities": n} for (r, c), n in counts.items()])


def test_empty_cells_headline_counts_empty_pairs_and_names_the_first():
    cells = _cells({("Bolsover", "A1"): 0, ("Bolsover", "A2"): 4, ("Derby", "A1"): 0, ("Derby", "A2"): 9})
    assert (
        headlines.empty_cells_headline(cells, "place", "aim")
        == "2 of 4 place-aim pairs have no activity, including Bolsover with A1"
    )


def test_empty_cells_headline_names_the_thinnest_when_nothing_is_empty():
    cells = _cells({("Bolsover", "A1"): 7, ("Derby", "A1"): 2})
    assert (
        headlines.empty_cells_headline(cells, "place", "aim")
        == "Every place has activity for every aim; the thinnest is Derby with A1: 2 activities"
    )


def test_gaps_headline_counts_none_and_thin_and_names_the_worst():
    gaps = pd.DataFrame(
        {"place": ["Mansfield", "Derby", "Erewash"], "aim": ["A3 x", "A1 y", "A2 z"], "kind": ["none", "thin", "thin"]}
    )
    assert (
        headlines.gaps_headline(gaps, 2026)
        == "1 place-aim pair has no activity in 2026 and 2 are thin; the largest gap: Mansfield, aim A3 x"
    )
    assert (
        headlines.gaps_headline(gaps.iloc[1:], 2026)
        == "2 place-aim pairs are thin in 2026; the largest gap: Derby, aim A1 y"
    )
    assert headlines.gaps_headline(gaps.iloc[:0], 2026) == "No place lacks activity for any aim in 2026"


def test_need_effort_headline_lists_flagged_places_by_need():
    table = pd.DataFrame(
        {
            "place_name": ["A", "B", "C", "D", "E"],
            "inactive_pct": [20, 30, 25, 28, 27],
            "high_need_low_effort": [False, True, True, True, True],
        }
    )
    assert (
        headlines.need_effort_headline(table)
        == "4 high-need places get less than the typical investment per head: B, D, E and 1 more"
    )
    assert "No place" in headlines.need_effort_headline(table.assign(high_need_low_effort=False))


def test_place_spread_headline_gives_the_most_and_the_fewest():
    table = pd.DataFrame({"place_name": ["Derby", "Bolsover", "Gedling"], "rate": [12.4, 88.6, 40.0]})
    assert (
        headlines.place_spread_headline(table, "rate", "Activities per 100,000 people")
        == "Bolsover has the most activities per 100,000 people (89); Derby the fewest (12)"
    )
    assert (
        headlines.place_spread_headline(table.head(1), "rate", "Activities per 100,000 people")
        == "Derby has 12 activities per 100,000 people"
    )


def test_trend_headline_names_each_place_then_england():
    latest = pd.DataFrame(
        {
            "place_code": ["E92000001", "E07000174"],
            "place_name": ["England", "Mansfield"],
            "period": ["2024/25", "2024/25"],
            "value": [21.8, 24.3],
        }
    )
    assert (
        headlines.trend_headline(latest, "Inactive adults", "E92000001", "%")
        == "Inactive adults, 2024/25: Mansfield 24.3%, England 21.8%"
    )
    assert (
        headlines.trend_headline(latest.assign(value=None), "Inactive adults", "E92000001", "%")
        == "Inactive adults: no values yet"
    )


def test_the_gaps_sentence_names_one_place_alone_and_counts_several():
    one = pd.DataFrame({"place": ["Bolsover"], "gaps": [1], "no_activity": [1]})
    two = pd.DataFrame({"place": ["Nottingham", "Bolsover"], "gaps": [3, 1], "no_activity": [1, 0]})
    assert headlines.gaps_summary(one, 2026).endswith("in 2026: only Bolsover has any (1).")
    assert "1 places" not in headlines.gaps_summary(one, 2026)
    assert "2 places have at least one; Nottingham has the most (3)." in headlines.gaps_summary(two, 2026)
