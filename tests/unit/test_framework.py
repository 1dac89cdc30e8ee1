"""The framework file is the one definition: complete, consistent and forgiving of partners' spellings."""

from datetime import date

import pytest

from strategy.framework import normalise


def test_framework_has_the_strategys_five_aims_six_ways_and_three_themes(framework):
    assert [a.code for a in framework.aims] == ["A1", "A2", "A3", "A4", "A5"]
    assert [w.code for w in framework.ways] == ["W1", "W2", "W3", "W4", "W5", "W6"]
    assert [t.code for t in framework.themes] == ["T1", "T2", "T3"]


def test_every_item_has_a_label_description_colour_and_synonyms(framework):
    for kind in ("aim", "way", "theme", "sector"):
        for item in framework.items(kind):
            assert item.label and item.description and item.synonyms, item.code
            assert item.colour.startswith("#") and len(item.colour) == 7


def test_places_are_seventeen_local_areas_under_two_counties(framework):
    local = framework.local_places(date(2026, 1, 1))
    assert len(local) == 17
    assert {p.level for p in local} == {"district", "unitary"}
    assert len(framework.places_within("E10000007")) == 8
    assert len(framework.places_within("E10000024")) == 7
    assert framework.place("E06000015").parent is None  # Derby is a unitary authority


@pytest.mark.parametrize(
    "kind, text, code",
    [
        ("aim", "2", "A2"),
        ("aim", "A2", "A2"),
        ("aim", "Aim 2", "A2"),
        ("aim", "aim2", None),
        ("aim", "Working with people and communities who experience the greatest inequality.", "A3"),
        ("aim", "  MENTAL health ", "A4"),
        ("way", "W4", "W4"),
        ("way", "Collaboration", "W2"),
        ("theme", "walking", "T1"),
        ("theme", "Covid-19", "T3"),
        ("sector", "NHS", "health_care"),
        ("sector", "Voluntary & Community", "voluntary_community"),
        ("sector", "banking", None),
    ],
)
def test_partner_spellings_resolve_to_codes(framework, kind, text, code):
    assert framework.resolve(kind, text) == code


@pytest.mark.parametrize(
    "text, expected_count",
    [
        ("All", 17),
        ("Derbyshire", 8),
        ("Notts", 7),
        ("Mansfield", 1),
        ("E07000174", 1),
        ("newark & sherwood", 1),
    ],
)
def test_place_words_expand_to_local_areas(framework, text, expected_count):
    assert len(framework.resolve_places(text)) == expected_count


def test_unknown_place_and_the_benchmark_are_not_partnership_places(framework):
    assert framework.resolve_places("Narnia") is None
    assert framework.resolve_places("England") is None


def test_a_place_closed_by_reorganisation_drops_out_of_local_places(framework):
    from dataclasses import replace

    closed = replace(framework.place("E07000033"), valid_to=date(2028, 3, 31))
    assert closed.valid_on(date(2028, 3, 31)) and not closed.valid_on(date(2028, 4, 1))


def test_normalise_folds_case_punctuation_and_ampersands():
    assert normalise("  Newark & Sherwood ") == "newark and sherwood"
    assert normalise("Covid-19") == "covid 19"
