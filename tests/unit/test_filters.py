"""One filter object that survives the trip through a URL, so a copied link opens the same view."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strategy.filters import Filters, filters_from_query
from strategy.framework import load_framework

FRAMEWORK = load_framework()
PLACE_CODES = [p.code for p in FRAMEWORK.places if p.level != "country"]


def codes(kind):
    return st.lists(st.sampled_from([i.code for i in FRAMEWORK.items(kind)]), unique=True, max_size=3).map(tuple)


filters_strategy = st.builds(
    Filters,
    places=st.lists(st.sampled_from(PLACE_CODES), unique=True, max_size=3).map(tuple),
    sectors=codes("sector"),
    aims=codes("aim"),
    ways=codes("way"),
    themes=codes("theme"),
    partners=st.lists(st.text(min_size=1, max_size=30), unique=True, max_size=2).map(tuple),
    date_from=st.none() | st.dates(date(2015, 1, 1), date(2030, 1, 1)),
    date_to=st.none() | st.dates(date(2015, 1, 1), date(2030, 1, 1)),
)


@pytest.mark.slow
@given(filters_strategy)
def test_filters_round_trip_through_the_query_string(filters):
    assert filters_from_query(filters.to_query(), FRAMEWORK) == filters


def test_unknown_codes_and_bad_dates_in_a_link_are_dropped_not_fatal():
    query = {"place": ["E07000174", "E99999999"], "aim": ["A9", "A2"], "from": ["yesterday"], "to": ["2025-12-31"]}
    assert filters_from_query(query, FRAMEWORK) == Filters(
        places=("E07000174",), aims=("A2",), date_to=date(2025, 12, 31)
    )


def test_a_county_stands_for_its_districts():
    assert len(Filters(places=("E10000024", "E07000174")).local_places(FRAMEWORK)) == 7


def test_filters_describe_themselves_in_plain_english():
    text = Filters(places=("E07000174",), aims=("A3",), date_from=date(2024, 4, 1)).describe(FRAMEWORK)
    # No end date chosen: the period is open, and planned days after today count too, so not "to today".
    assert text == (
        "Places: Mansfield; Aims: A3 Communities who experience the greatest inequality; Period: 1 April 2024 onwards"
    )
    assert Filters().describe(FRAMEWORK).startswith("All places")
