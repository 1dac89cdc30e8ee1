"""Fingertips' published comparison with England: shipped for every real area-year, shown where a value has no
interval, kept beside our own verdict when a download carries both; and how our rule compares with it.

Expected verdicts are read straight from the CSV files with the csv module, and our rule is re-applied here in
plain Python, so nothing below repeats the code under test.

`python -m tests.unit.test_published_verdicts` prints the table of our verdict against Fingertips' that
docs/indicators.md shows.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest

from strategy import analysis
from strategy.access import LOCAL_USER
from strategy.board.slides import board_slides
from strategy.build import reference
from strategy.filters import Filters
from strategy.indicators import trends as indicator_trends
from strategy.indicators.importer import import_indicator_file
from strategy.indicators.statistics import published_verdict
from strategy.indicators.trend_charts import trend_figure
from tests.conftest import DEMO_TODAY, PROJECT_ROOT

REFERENCE = PROJECT_ROOT / "data" / "reference"
FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "fingertips_93015_download.csv"
ENGLAND = "E92000001"
POLARITY = {"93014": "higher", "93015": "lower"}  # which side of England is better


def published_rows() -> list[dict]:
    with open(REFERENCE / "fingertips_compared_to_england.csv", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def published_by_key() -> dict[tuple[str, str, str], dict]:
    return {(r["indicator_id"], r["area_code"], r["period"]): r for r in published_rows()}


def our_rule(lower: float, upper: float, england: float, polarity: str) -> str:
    """The Fingertips rule, written out again: similar if England's value is inside the 95% interval."""
    if lower <= england <= upper:
        return "similar"
    above = lower > england
    return ("better" if above else "worse") if polarity == "higher" else ("worse" if above else "better")


def fixture_rows() -> list[dict]:
    """The fixture's Persons rows with no category, as the file has them."""
    with open(FIXTURE, encoding="utf-8") as f:
        return [r for r in csv.DictReader(f) if r["Sex"] == "Persons" and not r["Category Type"]]


def agreement_table() -> list[dict]:
    """Every area-year of the fixture with an interval: our verdict from it, the fixture's own column, and
    Fingertips' published verdict for the same area-year (with the value it was published with)."""
    rows = fixture_rows()
    england = {r["Time period"]: float(r["Value"]) for r in rows if r["Area Code"] == ENGLAND}
    published = published_by_key()
    table = []
    for r in rows:
        if (
            r["Area Code"] == ENGLAND
            or not r["Lower CI 95.0 limit"]
            or ("93015", r["Area Code"], r["Time period"]) not in published
        ):
            continue
        lower, upper = float(r["Lower CI 95.0 limit"]), float(r["Upper CI 95.0 limit"])
        real = published[("93015", r["Area Code"], r["Time period"])]
        ours = our_rule(lower, upper, england[r["Time period"]], POLARITY["93015"])
        table.append(
            {
                "area": r["Area Name"],
                "period": r["Time period"],
                "value": float(r["Value"]),
                "lower": lower,
                "upper": upper,
                "england": england[r["Time period"]],
                "ours": ours,
                "fixture": r["Compared to England value or percentiles"].lower(),
                "published_value": float(real["value"]),
                "published": real["compared_to_england"].lower(),
            }
        )
    return table


def agreement_markdown() -> str:
    table = agreement_table()
    lines = [
        "| area | period | value (95% interval) in the file | England in the file | our verdict | the file's "
        "own column | Fingertips' published value | Fingertips' published verdict | agree |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in table:
        lines.append(
            f"| {r['area']} | {r['period']} | {r['value']:.1f} ({r['lower']:.1f}-{r['upper']:.1f}) | "
            f"{r['england']:.1f} | {r['ours']} | {r['fixture']} | {r['published_value']:.1f} | "
            f"{r['published']} | {'yes' if r['ours'] == r['published'] else 'no'} |"
        )
    agree = sum(r["ours"] == r["published"] for r in table)
    lines.append("")
    lines.append(
        f"{len(table)} area-years have both; our verdict agrees with Fingertips' published one on {agree}, "
        f"with the file's own column on {sum(r['ours'] == r['fixture'] for r in table)}; the file's values "
        f"equal the published ones on {sum(round(r['value'], 1) == r['published_value'] for r in table)}."
    )
    return "\n".join(lines)


def test_fingertips_published_verdict_is_shown_for_all_340_real_area_years(demo_con, framework):
    expected = published_by_key()
    shown = {}
    for indicator in ("93014", "93015"):
        assessed = indicator_trends.assess_indicator(demo_con, framework, indicator)
        for r in assessed[assessed.place_code != ENGLAND].itertuples():
            shown[(indicator, r.place_code, r.period)] = (r.compared_to_england, r.comparison_source)
    assert len(shown) == 17 * 10 * 2 == 340
    assert shown == {
        key: (row["compared_to_england"].lower(), "published") for key, row in expected.items() if key[1] != ENGLAND
    }


def test_every_published_verdict_lies_on_the_side_of_england_our_rule_reads_it(demo_con, framework):
    """Without the intervals our rule cannot be re-run on the real values, but its direction can be checked: a
    place our rule calls better or worse has its whole interval, so its value, on that side of England."""
    checked = 0
    for indicator, better_side in POLARITY.items():
        assessed = indicator_trends.assess_indicator(demo_con, framework, indicator)
        judged = assessed[assessed.compared_to_england.isin(["better", "worse"])]
        for r in judged.itertuples():
            above = r.value > r.england_value
            assert above == ((r.compared_to_england == "better") == (better_side == "higher")), r
            checked += 1
    assert checked == sum(r["compared_to_england"] in ("Better", "Worse") for r in published_rows()) == 135


def test_a_download_with_intervals_is_judged_by_our_rule_and_keeps_fingertips_own_columns(writable_con, framework):
    report = import_indicator_file(writable_con, framework, FIXTURE.read_bytes(), "indicator-data.csv", LOCAL_USER)
    assert report.status == "loaded", report.errors
    assessed = indicator_trends.assess_indicator(writable_con, framework, "93015").set_index(["place_code", "period"])
    by_name = {r["Area Name"]: r["Area Code"] for r in fixture_rows()}
    expected = {(by_name[r["area"]], r["period"]): r for r in agreement_table()}
    assert len(expected) == 14
    for key, row in expected.items():
        shown = assessed.loc[key]
        assert (shown.compared_to_england, shown.comparison_source) == (row["ours"], "computed"), key
        assert shown.published_comparison == row["fixture"]
        assert shown.published_trend == "cannot be calculated"
    # The suppressed value has no interval: it carries the download's own "Not compared".
    assert assessed.loc[("E07000035", "2020/21")].compared_to_england == "not compared"
    # Years the download does not cover keep the reference value and Fingertips' published verdict.
    older = assessed.loc[("E07000174", "2016/17")]
    assert (older.compared_to_england, older.comparison_source) == ("worse", "published")


def test_docs_show_our_verdict_against_fingertips_for_every_area_year_with_both():
    assert agreement_markdown() in (PROJECT_ROOT / "docs" / "indicators.md").read_text(encoding="utf-8")


def test_a_verdict_published_with_another_value_stops_the_reference_load(tmp_path, monkeypatch, framework):
    for name in (
        "active_lives_adults_fingertips.csv",
        "fingertips_compared_to_england.csv",
        "indicators.toml",
        "population.csv",
        "area_centroids.csv",
    ):
        shutil.copy(REFERENCE / name, tmp_path / name)
    rows = published_rows()
    changed = next(r for r in rows if r["indicator_id"] == "93015" and r["area_code"] == "E06000015")
    changed["value"] = str(float(changed["value"]) + 0.1)
    with open(tmp_path / "fingertips_compared_to_england.csv", "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    monkeypatch.setenv("STRATEGY_REFERENCE", str(tmp_path))
    definition = next(d for d in reference.indicator_definitions() if d["id"] == "93015")
    values = reference.indicator_value_rows(definition, {p.code for p in framework.places})
    with pytest.raises(ValueError, match=rf"E06000015 {changed['period']}: the verdict was published with the value"):
        reference.with_published_comparisons(definition, values)


def test_publishers_words_are_read_and_anything_else_is_refused():
    assert [published_verdict(w) for w in ("Better", " worse 95% ", "Similar", "Not compared", "", None)] == [
        "better",
        "worse",
        "similar",
        "not compared",
        None,
        None,
    ]
    with pytest.raises(ValueError, match="'Lowest' is not a comparison with England"):
        published_verdict("Lowest")


def test_tiles_gap_sentences_place_profiles_and_the_board_pack_label_the_published_verdict(demo_con, framework):
    published = published_by_key()
    mansfield = indicator_trends.headline_indicators(demo_con, framework, Filters(places=("E07000174",)))
    tile = mansfield.set_index("indicator_id").loc["93015"]
    assert (tile.compared_to_england, tile.comparison_source) == (
        published[("93015", "E07000174", tile.period)]["compared_to_england"].lower(),
        "published",
    )

    gaps = analysis.gaps(demo_con, framework, Filters(date_to=DEMO_TODAY), today=DEMO_TODAY)
    names = {p.code: p.name for p in framework.places}
    for gap in gaps.itertuples():
        verdict = published[("93015", gap.place_code, "2024/25")]["compared_to_england"].lower()
        phrase = {"better": "better than England", "worse": "worse than England", "similar": "similar to England"}[
            verdict
        ]
        assert gap.reason.endswith(f", {phrase} (Fingertips' published comparison)."), gap.reason
        assert names[gap.place_code] in gap.reason

    profile = analysis.need_vs_effort(demo_con, framework, Filters()).set_index("place_code")
    for code, row in profile.iterrows():
        assert row.compared_to_england == published[("93015", code, row.inactive_period)]["compared_to_england"].lower()

    trends = next(
        s
        for s in board_slides(demo_con, framework, Filters(places=("E07000174", "E07000033")), today=DEMO_TODAY)
        if s.key == "trends"
    )
    column = "Compared with England (Fingertips' published comparison)"
    table = trends.table.set_index("Place")
    assert table.loc["Mansfield", column] == published[("93015", "E07000174", "2024/25")]["compared_to_england"].lower()
    assert table.loc["Bolsover", column] == published[("93015", "E07000033", "2024/25")]["compared_to_england"].lower()
    assert "Fingertips' published comparison" in trends.caveat


def test_the_trend_chart_hover_names_fingertips_published_comparison(demo_con, framework):
    assessed = indicator_trends.assess_indicator(demo_con, framework, "93015", ("E07000174",))
    figure = trend_figure(
        assessed, pd.DataFrame({"period": [], "activities_started": []}), "t", "s", "%", ENGLAND, "Activities"
    )
    line = next(t for t in figure.data if t.name == "Mansfield")
    published = published_by_key()
    assert [c[2] for c in line.customdata] == [
        published[("93015", "E07000174", period)]["compared_to_england"].lower() + " (Fingertips' published comparison)"
        for period in line.x
    ]


if __name__ == "__main__":
    print(agreement_markdown())
