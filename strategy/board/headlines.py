"""Headline sentences for slides, written from the numbers: pure functions of DataFrames and dicts.

A headline states one finding with its figures ("Aim A3 has the fewest activities: 41 of 1,512, 3%"), so a board
member reading only the slide titles still gets the story, and the wording never drifts from the data.
"""

from __future__ import annotations

import pandas as pd

from strategy.rounding import money_per_head

NO_DATA = "No activities match these filters"


NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")


def number_word(n: int) -> str:
    """A small count in words, as prose writes it ('five shared aims'); figures from 11."""
    return NUMBER_WORDS[n] if 0 <= n < len(NUMBER_WORDS) else f"{n:,}"


def share(part: float, whole: float) -> str:
    """A whole-number percentage, with '<1%' for small non-zero shares so nothing reads as zero that is not."""
    if not whole:
        return "0%"
    percent = 100 * part / whole
    if 0 < percent < 1:
        return "<1%"
    return f"{percent:.0f}%"


def overview_headline(totals: dict, places_total: int) -> str:
    """'1,512 activities from 48 partners reach 17 of 17 places'."""
    if not totals.get("activities"):
        return NO_DATA
    activity_word = "activity" if totals["activities"] == 1 else "activities"
    partner_word = "partner" if totals["partners"] == 1 else "partners"
    verb = "reaches" if totals["activities"] == 1 else "reach"
    place_word = "place" if places_total == 1 else "places"
    return (
        f"{totals['activities']:,} {activity_word} from {totals['partners']:,} {partner_word} "
        f"{verb} {totals['places_reached']} of {places_total} {place_word}"
    )


def fewest_headline(
    counts: pd.Series,
    total: float,
    noun: str,
    measure_word: str = "activities",
    least_word: str = "fewest",
    money: bool = False,
) -> str:
    """The item with the least, its amount, the total and its share: 'Aim A3 Communities who experience the
    greatest inequality has the fewest activities: 41 of 1,512, 3%'. Ties go to the first item in strategy order."""
    if counts.empty or not total:
        return NO_DATA
    label = counts.idxmin()
    least = counts.min()
    pound = "£" if money else ""
    return (
        f"{noun} {label} has the {least_word} {measure_word}: {pound}{least:,.0f} of {pound}{total:,.0f}, "
        f"{share(least, total)}"
    )


def empty_cells_headline(cells: pd.DataFrame, row_noun: str, column_noun: str) -> str:
    """For a heatmap: how many cells are empty, else the weakest cell with its count."""
    if cells.activities.sum() == 0:
        return NO_DATA
    empty = cells[cells.activities == 0]
    if len(empty):
        first = empty.iloc[0]
        return (
            f"{len(empty)} of {len(cells)} {row_noun}-{column_noun} pairs have no activity, "
            f"including {first.row_label} with {first.column_label}"
        )
    low = cells.loc[cells.activities.idxmin()]
    return (
        f"Every {row_noun} has activity for every {column_noun}; the thinnest is {low.row_label} with "
        f"{low.column_label}: {low.activities:,} activities"
    )


def gaps_headline(gaps: pd.DataFrame, year: int | str) -> str:
    """'3 place-aim pairs have no activity in 2026 and 9 are thin; the largest gap: Mansfield, aim A3'."""
    if gaps.empty:
        return f"No place lacks activity for any aim in {year}"
    none = int((gaps.kind == "none").sum())
    thin = int((gaps.kind == "thin").sum())
    worst = gaps.iloc[0]
    parts = []
    if none:
        parts.append(f"{none} place-aim {'pair has' if none == 1 else 'pairs have'} no activity in {year}")
    if thin:
        verb = "is" if thin == 1 else "are"
        parts.append(
            f"{thin} {verb} thin"
            if none
            else f"{thin} place-aim {'pair is' if thin == 1 else 'pairs are'} thin in {year}"
        )
    return " and ".join(parts) + f"; the largest gap: {worst.place}, aim {worst.aim}"


def need_effort_headline(table: pd.DataFrame) -> str:
    """Which places combine above-typical inactivity with below-typical investment per head."""
    if table.empty or table.inactive_pct.isna().all():
        return "Need cannot be compared: no Active Lives figures for these places"
    flagged = table[table.high_need_low_effort].sort_values("inactive_pct", ascending=False)
    if flagged.empty:
        return "No place combines above-typical inactivity with below-typical investment per head"
    names = ", ".join(flagged.place_name.head(3)) + (f" and {len(flagged) - 3} more" if len(flagged) > 3 else "")
    count = len(flagged)
    return (
        f"{count} high-need {'place gets' if count == 1 else 'places get'} less than the typical investment "
        f"per head: {names}"
    )


def place_spread_headline(table: pd.DataFrame, measure: str, measure_label: str) -> str:
    """The places with the most and the least of a per-head measure, with both figures."""
    known = table.dropna(subset=[measure])
    if known.empty or known[measure].sum() == 0:
        return NO_DATA
    top = known.loc[known[measure].idxmax()]
    low = known.loc[known[measure].idxmin()]
    if len(known) == 1:
        return f"{top.place_name} has {top[measure]:,.0f} {measure_label.lower()}"
    return (
        f"{top.place_name} has the most {measure_label.lower()} ({top[measure]:,.0f}); "
        f"{low.place_name} the fewest ({low[measure]:,.0f})"
    )


# --- one-sentence chart summaries (shown under charts, used as alt text and speaker notes) ---------------------


def totals_summary(figures: list[tuple[str, str]]) -> str:
    """'Five headline figures: Activities 1,512; Partners 48; ...'."""
    return f"{len(figures)} headline figures: " + "; ".join(f"{label} {value}" for label, value in figures) + "."


def gaps_summary(per_place: pd.DataFrame, year: int | str) -> str:
    """For the bar chart of gaps per place: which place has most, and how many places have any."""
    if per_place.empty:
        return f"No place has an aim without activity, or with thin activity, in {year}."
    top = per_place.iloc[0]
    if len(per_place) == 1:
        return (
            f"A bar chart of the aims with no or thin activity in each place in {year}: only {top.place} has any "
            f"({top.gaps:,})."
        )
    return (
        f"A bar chart of the aims with no or thin activity in each place in {year}: {len(per_place)} places "
        f"have at least one; {top.place} has the most ({top.gaps:,})."
    )


def need_effort_summary(table: pd.DataFrame, effort_label: str) -> str:
    """For the need against effort scatter chart, on the Coverage and gaps page and in the board pack: what is on
    each axis, where the dotted lines are, and which places are marked as high need, low effort (by the effort
    measure the chart shows, `effort_label`), and why."""
    flagged = table[table.high_need_low_effort].place_name.tolist() if len(table) else []
    marked = (
        f"{len(flagged)} marked as high need, low effort, with more adults inactive and less effort than the "
        f"partnership's middle place: {', '.join(flagged)}"
        if flagged
        else "none marked as high need, low effort"
    )
    places = "1 place" if len(table) == 1 else f"{len(table)} places"
    return (
        f"A scatter chart of {places}: adults inactive (%) across, {effort_label.lower()} up; "
        f"dotted lines at the partnership's middle place; {marked}."
    )


def map_summary(table: pd.DataFrame, measure: str, measure_label: str, areas: bool = True) -> str:
    """For the place map, on the Places page and in the board pack: what shades the places (their areas, or circles
    at their centre points when the boundary file could not be read), then the highest and the lowest with their
    units (map_extremes)."""
    places = "1 place" if len(table) == 1 else f"{len(table)} places"
    drawn = "each area shaded" if areas else "each circle shaded and sized"
    return f"A map of {places}, {drawn} by {measure_label.lower()}. " + map_extremes(table, measure)


# How a place's value of each map measure reads, with its unit.
MAP_VALUE_WORDS = {
    "investment_per_head": lambda v: f"{money_per_head(v)} per head",
    "activities_per_100k": lambda v: f"{v:,.1f} activities per 100,000 people",
    "inactive_pct": lambda v: f"{v:.1f}% of adults inactive",
    "imd2019_score": lambda v: f"IMD 2019 score {v:.1f}",
    "investment": lambda v: f"£{v:,.0f}",
    "activities": lambda v: f"{v:,.0f} activities",
}
APPORTIONED = (
    "Investment in a place is its share of each activity that reaches it, apportioned between the "
    "activity's places by population."
)


def map_extremes(table: pd.DataFrame, measure: str) -> str:
    """'Highest: Bolsover (£12 per head); lowest: Derby (£4.7 per head).', with the units and, for money, how it
    is apportioned; the sentence under the place map."""
    known = table.dropna(subset=[measure]).sort_values(measure, ascending=False)
    if known.empty:
        return "No places."
    words = MAP_VALUE_WORDS[measure]
    top, low = known.iloc[0], known.iloc[-1]
    text = f"Highest: {top.place_name} ({words(top[measure])}); lowest: {low.place_name} ({words(low[measure])})."
    if measure.startswith("investment"):
        text += " " + APPORTIONED
    if measure.startswith("activities"):
        text += " An activity that reaches several places counts in each."
    return text


def trend_headline(
    latest: pd.DataFrame, short_name: str, benchmark: str, unit: str | None, year_starts: str | None = None
) -> str:
    """'Inactive adults, 2024/25 (mid-Nov to mid-Nov): Mansfield 24.3%, England 21.8%': the latest value of up to
    three places shown, then England; the period says what kind of year it is (indicator_trends.period_label)."""
    from strategy.indicators.trends import period_label

    sign = "%" if unit == "%" else ""
    known = latest[latest.value.notna()]
    if known.empty:
        return f"{short_name}: no values yet"
    ordered = pd.concat([known[known.place_code != benchmark].head(3), known[known.place_code == benchmark]])
    parts = [f"{row.place_name} {row.value:.1f}{sign}" for row in ordered.itertuples()]
    more = len(known[known.place_code != benchmark]) - 3
    return (
        f"{short_name}, {period_label(ordered.period.iloc[0], year_starts)}: "
        + ", ".join(parts)
        + (f" (and {more} more)" if more > 0 else "")
    )
