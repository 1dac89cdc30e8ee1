"""Public-health statistics for indicators: intervals, comparison with a benchmark, recent trend, period order.

Pure functions with no database or Streamlit, so every rule here can be tested against worked values.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Sequence

# 95% two-sided: the level Fingertips uses to compare an area with England.
WILSON_Z = 1.959963984540054
# Chi-squared with one degree of freedom at p = 0.05.
CHI_SQUARED_95 = 3.841458820694124
# Fingertips tests the recent trend over the latest five data points.
TREND_POINTS = 5

BETTER, SIMILAR, WORSE, NOT_COMPARED = "better", "similar", "worse", "not compared"
# For indicators with no polarity (neither direction is "good"), as Fingertips does.
HIGHER, LOWER = "higher", "lower"
INCREASING, DECREASING, NO_CHANGE, CANNOT_CALCULATE = (
    "increasing",
    "decreasing",
    "no significant change",
    "cannot be calculated",
)

CI_PUBLISHED, CI_WILSON, CI_NONE = "published", "wilson", "none"

# Where a comparison with England came from: the publisher's own verdict, or our rule applied to a 95% interval.
COMPARISON_PUBLISHED, COMPARISON_COMPUTED = "published", "computed"
# ... in the words shown beside every verdict.
COMPARISON_SOURCE_WORDS = {
    COMPARISON_PUBLISHED: "Fingertips' published comparison",
    COMPARISON_COMPUTED: "our rule on the 95% interval",
}
COMPARISON_WORDS = (BETTER, SIMILAR, WORSE, HIGHER, LOWER, NOT_COMPARED)
_CONFIDENCE_SUFFIX = re.compile(r"\s*\(?\s*(95|99\.8)(\.0)?\s*%\s*\)?\s*$")


def published_verdict(text: object) -> str | None:
    """A publisher's comparison word in the dashboard's vocabulary: 'Better' -> 'better', 'Worse 95%' -> 'worse',
    'Not compared' -> 'not compared'; None for a blank cell. ValueError for any other text, naming the words
    understood, so a misread column is never shown as a verdict."""
    if text is None or (isinstance(text, float) and math.isnan(text)):
        return None
    word = _CONFIDENCE_SUFFIX.sub("", " ".join(str(text).split()).lower())
    if not word:
        return None
    if word in COMPARISON_WORDS:
        return word
    raise ValueError(
        f"{str(text).strip()!r} is not a comparison with England; expected one of "
        + ", ".join(w.capitalize() for w in COMPARISON_WORDS)
    )


def wilson_interval(count: float, denominator: float, z: float = WILSON_Z) -> tuple[float, float]:
    """The Wilson score interval for the proportion count/denominator, as (lower, upper) between 0 and 1.

    The method PHE's technical guide recommends for proportions: unlike the normal approximation it never
    leaves 0-1 and behaves at 0 and at the denominator.
    """
    if denominator is None or count is None or denominator <= 0 or count < 0 or count > denominator:
        raise ValueError(
            f"a proportion needs 0 <= count <= denominator and denominator > 0 "
            f"(got count {count}, denominator {denominator})"
        )
    p = count / denominator
    centre = 2 * count + z * z
    spread = z * math.sqrt(z * z + 4 * count * (1 - p))
    scale = 2 * (denominator + z * z)
    lower = 0.0 if count == 0 else (centre - spread) / scale
    upper = 1.0 if count == denominator else (centre + spread) / scale
    return lower, upper


def _missing(*values) -> bool:
    return any(v is None or (isinstance(v, float) and math.isnan(v)) for v in values)


def compare_with_benchmark(
    value: float | None, lower: float | None, upper: float | None, benchmark: float | None, polarity: str
) -> str:
    """better / similar / worse (or higher / similar / lower without polarity), else 'not compared'.

    The Fingertips rule: similar when the area's 95% interval contains the benchmark's value; otherwise
    the side of the benchmark the interval lies on, read through the indicator's polarity. No interval,
    no comparison: a difference without an interval may be noise.
    """
    if _missing(value, lower, upper, benchmark):
        return NOT_COMPARED
    if lower <= benchmark <= upper:
        return SIMILAR
    above = lower > benchmark
    if polarity == "higher_is_better":
        return BETTER if above else WORSE
    if polarity == "lower_is_better":
        return WORSE if above else BETTER
    return HIGHER if above else LOWER


@dataclass(frozen=True)
class TrendPoint:
    """One period of an area's series, in period order."""

    value: float | None
    lower: float | None = None
    upper: float | None = None
    count: float | None = None
    denominator: float | None = None


@dataclass(frozen=True)
class Trend:
    """The recent trend and how it was decided (shown to users beside the word)."""

    direction: str
    method: str


def recent_trend(points: Sequence[TrendPoint], z: float = WILSON_Z) -> Trend:
    """Increasing, decreasing or no significant change over the latest five points, else 'cannot be calculated'.

    With counts and denominators for all five points: the chi-squared test for linear trend in proportions
    (Cochran-Armitage), as Fingertips does. Otherwise, with a 95% interval for all five: an inverse-variance
    weighted least-squares line through the values (standard error from the interval width), significant
    when its slope is more than z standard errors from zero. Anything less and no direction is claimed.
    """
    latest = list(points)[-TREND_POINTS:]
    if len(latest) < TREND_POINTS or any(_missing(p.value) for p in latest):
        return Trend(CANNOT_CALCULATE, f"needs {TREND_POINTS} consecutive values")
    if all(not _missing(p.count, p.denominator) and p.denominator > 0 for p in latest):
        return _chi_squared_trend(latest)
    if all(not _missing(p.lower, p.upper) and p.upper > p.lower for p in latest):
        return _weighted_regression_trend(latest, z)
    return Trend(CANNOT_CALCULATE, "needs intervals or counts for the latest five values")


def _chi_squared_trend(points: Sequence[TrendPoint]) -> Trend:
    method = "chi-squared test for trend (counts and denominators)"
    scores = range(1, len(points) + 1)
    counts = [p.count for p in points]
    sizes = [p.denominator for p in points]
    total = sum(sizes)
    pooled = sum(counts) / total
    if pooled in (0.0, 1.0):
        return Trend(NO_CHANGE, method)
    statistic = sum(x * (r - n * pooled) for x, r, n in zip(scores, counts, sizes))
    spread = sum(n * x * x for x, n in zip(scores, sizes)) - sum(n * x for x, n in zip(scores, sizes)) ** 2 / total
    chi_squared = statistic**2 / (pooled * (1 - pooled) * spread)
    if chi_squared <= CHI_SQUARED_95:
        return Trend(NO_CHANGE, method)
    return Trend(INCREASING if statistic > 0 else DECREASING, method)


def _weighted_regression_trend(points: Sequence[TrendPoint], z: float) -> Trend:
    method = "weighted regression on the latest five values and their 95% intervals"
    weights = [1 / ((p.upper - p.lower) / (2 * WILSON_Z)) ** 2 for p in points]
    xs = list(range(len(points)))
    total = sum(weights)
    x_mean = sum(w * x for w, x in zip(weights, xs)) / total
    y_mean = sum(w * p.value for w, p in zip(weights, points)) / total
    sxx = sum(w * (x - x_mean) ** 2 for w, x in zip(weights, xs))
    slope = sum(w * (x - x_mean) * (p.value - y_mean) for w, x, p in zip(weights, xs, points)) / sxx
    slope_error = math.sqrt(1 / sxx)
    if abs(slope) <= z * slope_error:
        return Trend(NO_CHANGE, method)
    return Trend(INCREASING if slope > 0 else DECREASING, method)


_SPLIT_YEAR = re.compile(r"^(\d{4})\s*/\s*(\d{2}|\d{4})")  # 2015/16, 2015/2016
_YEAR_RANGE = re.compile(r"^(\d{4})\s*-\s*(\d{2}|\d{4})(?!\d)")  # 2016 - 18, 2019-20
_QUARTER = re.compile(r"\bQ([1-4])\b", re.IGNORECASE)
_MONTHS = {
    m: i
    for i, m in enumerate(["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"], start=1)
}


def _full_year(start: int, end_text: str) -> int:
    if len(end_text) == 4:
        return int(end_text)
    century = start - start % 100
    end = century + int(end_text)
    return end + 100 if end < start else end


def period_sort_key(label: str) -> tuple:
    """A key that puts period labels in time order: '2015/16' < '2016/17' < '2016 - 18' < '2017', unknowns last.

    Sorting the text alone is wrong as soon as labels mix styles or centuries ('1999/00'); the key is
    (start year, end year, quarter or month, label).
    """
    text = str(label).strip()
    part = 0
    quarter = _QUARTER.search(text)
    if quarter:
        part = int(quarter.group(1))
    for name, number in _MONTHS.items():
        if re.search(rf"\b{name}", text, re.IGNORECASE) and not quarter:
            part = number
            break
    match = _SPLIT_YEAR.match(text) or _YEAR_RANGE.match(text)
    if match:
        start = int(match.group(1))
        return (0, start, _full_year(start, match.group(2)), part, text)
    years = re.findall(r"(?<!\d)(\d{4})(?!\d)", text)
    if years:
        start = int(years[0])
        return (0, start, int(years[-1]) if len(years) > 1 else start, part, text)
    return (1, 0, 0, 0, text)


def sorted_periods(labels) -> list[str]:
    """Distinct period labels in time order."""
    return sorted(dict.fromkeys(str(label) for label in labels), key=period_sort_key)
