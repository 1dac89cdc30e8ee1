"""The indicator statistics against worked values: Wilson intervals, the Fingertips comparison rule, trends, periods."""

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategy.indicators.statistics import (
    TrendPoint,
    compare_with_benchmark,
    period_sort_key,
    recent_trend,
    sorted_periods,
    wilson_interval,
)


# Worked values: 20 of 100 is 13.3% to 28.9% (PHE technical guide's Wilson example; also
# Newcombe 1998, Table I, 81/263 -> 0.2553 to 0.3662 and 0/10 -> 0 to 0.2775).
@pytest.mark.parametrize(
    "count, denominator, lower, upper",
    [
        (20, 100, 0.13337, 0.28884),
        (81, 263, 0.25527, 0.36619),
        (15, 148, 0.06241, 0.16046),
        (0, 10, 0.0, 0.27753),
        (10, 10, 0.72247, 1.0),
    ],
)
def test_wilson_interval_matches_worked_values(count, denominator, lower, upper):
    found = wilson_interval(count, denominator)
    assert found == pytest.approx((lower, upper), abs=5e-5)


def test_wilson_interval_narrows_with_a_larger_sample_at_the_same_proportion():
    small = wilson_interval(30, 100)
    large = wilson_interval(3000, 10000)
    assert large[1] - large[0] < small[1] - small[0]


@given(
    st.integers(min_value=1, max_value=100_000).flatmap(
        lambda n: st.tuples(st.integers(min_value=0, max_value=n), st.just(n))
    )
)
def test_wilson_interval_stays_within_zero_and_one_and_contains_the_proportion(pair):
    count, denominator = pair
    lower, upper = wilson_interval(count, denominator)
    assert 0.0 <= lower <= count / denominator <= upper <= 1.0


@pytest.mark.parametrize("count, denominator", [(5, 0), (-1, 10), (11, 10)])
def test_wilson_interval_refuses_impossible_proportions(count, denominator):
    with pytest.raises(ValueError, match="count"):
        wilson_interval(count, denominator)


@pytest.mark.parametrize(
    "value, lower, upper, england, polarity, expected",
    [
        # higher is better (physically active adults)
        (70.0, 68.0, 72.0, 66.0, "higher_is_better", "better"),
        (62.0, 60.0, 64.0, 66.0, "higher_is_better", "worse"),
        (67.0, 64.0, 70.0, 66.0, "higher_is_better", "similar"),
        # lower is better (physically inactive adults): the same intervals read the other way
        (30.0, 28.0, 32.0, 22.0, "lower_is_better", "worse"),
        (18.0, 16.0, 20.0, 22.0, "lower_is_better", "better"),
        (23.0, 21.0, 25.0, 22.0, "lower_is_better", "similar"),
        # an interval that just touches England's value is similar
        (24.0, 22.0, 26.0, 22.0, "lower_is_better", "similar"),
        # no polarity: higher or lower, never better or worse
        (30.0, 28.0, 32.0, 22.0, "none", "higher"),
        (10.0, 8.0, 12.0, 22.0, "none", "lower"),
    ],
)
def test_comparison_with_england_follows_the_interval_and_the_polarity(
    value, lower, upper, england, polarity, expected
):
    assert compare_with_benchmark(value, lower, upper, england, polarity) == expected


@pytest.mark.parametrize(
    "value, lower, upper, england",
    [
        (70.0, None, None, 66.0),  # the real Active Lives extract: no interval
        (None, None, None, 66.0),  # suppressed
        (70.0, 68.0, 72.0, None),  # England missing for the period
        (70.0, float("nan"), float("nan"), 66.0),
    ],
)
def test_without_an_interval_or_a_benchmark_nothing_is_compared(value, lower, upper, england):
    assert compare_with_benchmark(value, lower, upper, england, "higher_is_better") == "not compared"


def _proportions(counts, size=1000):
    return [TrendPoint(value=100 * c / size, count=c, denominator=size) for c in counts]


def test_recent_trend_uses_chi_squared_for_trend_with_counts():
    rising = recent_trend(_proportions([200, 220, 240, 260, 280]))
    assert rising.direction == "increasing"
    assert "chi-squared" in rising.method
    assert recent_trend(_proportions([280, 260, 240, 220, 200])).direction == "decreasing"
    assert recent_trend(_proportions([250, 252, 249, 251, 250])).direction == "no significant change"


def test_chi_squared_for_trend_matches_a_worked_statistic():
    # Counts 10, 15, 20, 25, 30 of 100 each: pooled p = 0.2, T = 50, variance = 0.16 * 1000 = 160,
    # chi-squared = 2500 / 160 = 15.6 (> 3.84): increasing. A rise of 1 per period (18..22) gives
    # T = 10, chi-squared = 100 / 160 = 0.6: no significant change.
    assert recent_trend(_proportions([10, 15, 20, 25, 30], size=100)).direction == "increasing"
    assert recent_trend(_proportions([18, 19, 20, 21, 22], size=100)).direction == "no significant change"


def test_recent_trend_uses_the_latest_five_points_only():
    old_rise_then_flat = _proportions([100, 150, 200, 250, 250, 251, 249, 250, 250])
    assert recent_trend(old_rise_then_flat).direction == "no significant change"


def test_recent_trend_from_intervals_when_there_are_no_counts():
    steady_fall = [TrendPoint(value=v, lower=v - 1.0, upper=v + 1.0) for v in (30, 29, 28, 27, 26)]
    result = recent_trend(steady_fall)
    assert result.direction == "decreasing"
    assert "weighted regression" in result.method
    noisy = [TrendPoint(value=v, lower=v - 6.0, upper=v + 6.0) for v in (30, 29, 31, 28, 30)]
    assert recent_trend(noisy).direction == "no significant change"


@pytest.mark.parametrize(
    "points",
    [
        [TrendPoint(value=v) for v in (30, 29, 28, 27, 26)],  # values only: no way to judge
        [TrendPoint(value=v, lower=v - 1, upper=v + 1) for v in (30, 29, 28, 27)],  # four points
        [TrendPoint(value=v, lower=v - 1, upper=v + 1) for v in (30, 29, 28, 27)] + [TrendPoint(value=None)],
    ],
)
def test_recent_trend_cannot_be_calculated_without_five_points_with_intervals(points):
    assert recent_trend(points).direction == "cannot be calculated"


def test_active_lives_years_sort_in_time_order_whatever_order_they_arrive_in():
    labels = [
        "2015/16",
        "2016/17",
        "2017/18",
        "2018/19",
        "2019/20",
        "2020/21",
        "2021/22",
        "2022/23",
        "2023/24",
        "2024/25",
    ]
    shuffled = labels[:]
    random.Random(4).shuffle(shuffled)
    assert sorted_periods(shuffled) == labels


def test_periods_of_different_styles_and_centuries_sort_by_time():
    assert sorted_periods(["2000/01", "1999/00", "2016 - 18", "2016/17", "2016", "2015"]) == [
        "1999/00",
        "2000/01",
        "2015",
        "2016",
        "2016/17",
        "2016 - 18",
    ]
    assert sorted_periods(["2019/20 Q3", "2019/20 Q1", "2019/20 Q2"]) == ["2019/20 Q1", "2019/20 Q2", "2019/20 Q3"]
    assert period_sort_key("mid-2022") < period_sort_key("2023")
    assert period_sort_key("not a period") > period_sort_key("2099/00")
