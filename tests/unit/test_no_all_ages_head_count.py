"""No figure counts inactive people with an all-ages population.

Active Lives measures adults aged 19 and over; multiplying its percentage by the all-ages population overstates the
head count by a fifth to a quarter (Derby: 67,717). No age-banded population is shipped, so no head count is shown.
The expected wrong numbers are computed here from the reference CSVs themselves, and must appear nowhere.
"""

import csv
import re

import pandas as pd
import pytest

from strategy import analysis
from strategy.board.slides import board_slides
from strategy.filters import Filters
from tests.conftest import DEMO_TODAY, PROJECT_ROOT

REFERENCE = PROJECT_ROOT / "data" / "reference"


def all_ages_head_counts() -> dict[str, int]:
    """Per place: the mid-2022 all-ages population x its latest inactive-adults percentage (the overstated count)."""
    with open(REFERENCE / "population.csv", encoding="utf-8") as f:
        population = {
            r["area_code"]: float(r["value"])
            for r in csv.DictReader(f)
            if r["period"] == "mid-2022" and r["indicator"].startswith("Population, all ages")
        }
    latest: dict[str, tuple[int, float]] = {}
    with open(REFERENCE / "active_lives_adults_fingertips.csv", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            if "Fingertips 93015" in r["indicator"] and r["value"]:
                start = int(r["period"][:4])
                if r["area_code"] not in latest or start > latest[r["area_code"]][0]:
                    latest[r["area_code"]] = (start, float(r["value"]))
    return {code: round(people * latest[code][1] / 100) for code, people in population.items() if code in latest}


def _numbers_in(text: str) -> set[int]:
    return {int(n.replace(",", "")) for n in re.findall(r"\d[\d,]*\d|\d", text)}


@pytest.mark.slow
def test_no_table_sentence_or_slide_counts_inactive_people_with_an_all_ages_population(demo_con, framework):
    by_place = all_ages_head_counts()
    assert by_place["E06000015"] == 67_717  # Derby, the overstated figure the dashboard used to show
    for table in (analysis.need_by_place(demo_con), analysis.need_vs_effort(demo_con, framework, Filters())):
        expected = table.place_code.map(by_place)
        assert expected.notna().sum() == 17
        for column in table.select_dtypes("number").columns:
            assert not (table[column].round() == expected).any(), column
    counts = set(by_place.values())
    gaps = analysis.gaps(demo_con, framework, Filters(date_to=DEMO_TODAY), today=DEMO_TODAY)
    assert len(gaps)
    for reason in gaps.reason:
        assert not _numbers_in(reason) & counts, reason
    for slide in board_slides(demo_con, framework, Filters(), today=DEMO_TODAY):
        words = " ".join(
            [
                slide.headline,
                slide.summary,
                slide.caveat or "",
                slide.table.to_string() if isinstance(slide.table, pd.DataFrame) else "",
            ]
        )
        assert not _numbers_in(words) & counts, slide.key
