"""What the strategy's framework is and what it answers: its items (aims, ways of working, themes, sectors), its
places and their reorganisations, and the spellings partners may write for each."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, timedelta

from strategy import periods

# Words partners write for "everywhere in the partnership", in any partnership; a framework adds its own
# ([strategy] everywhere, e.g. "d2n2"): Framework.everywhere_words.
ALL_PLACES_WORDS = frozenset({"all", "all areas", "all places", "everywhere", "partnership wide", "partnership-wide"})


def normalise(text: str) -> str:
    """Lower-case, '&' as 'and', runs of spaces/punctuation folded to one space: the form names are matched in."""
    text = str(text).strip().lower().replace("&", " and ")
    return re.sub(r"[\s_\-.,:;/()'’]+", " ", text).strip()


@dataclass(frozen=True)
class Item:
    """One aim, way of working, theme or sector."""

    code: str
    label: str
    description: str
    colour: str = "#999999"
    synonyms: tuple[str, ...] = ()

    @property
    def short(self) -> str:
        """Code and label, as charts show it: 'W4 Targeting and aligning investment'."""
        return f"{self.code} {self.label}" if self.code[:1] in "AWT" and self.code[1:].isdigit() else self.label

    @property
    def full(self) -> str:
        """Code and the strategy's full wording, shown beside a short label (hover, captions)."""
        return f"{self.code} {self.description}" if self.short != self.label else self.description


@dataclass(frozen=True)
class Place:
    """An area with its ONS GSS code, its level and parent, and the period it is valid for."""

    code: str
    name: str
    level: str
    parent: str | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    synonyms: tuple[str, ...] = ()
    # The area that took this one over the day after valid_to (a reorganisation), and a population figure that,
    # when given, is used instead of the reference data's (strategy.build.reference.place_population).
    successor: str | None = None
    population: int | None = None

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)

    @property
    def replaced_on(self) -> date | None:
        """The day its successor took over (the day after valid_to), or None if it has no successor."""
        return self.valid_to + timedelta(days=1) if self.successor and self.valid_to else None


@dataclass(frozen=True)
class Framework:
    """Every list the product shows, in the strategy's order."""

    name: str
    benchmark: str
    aims: tuple[Item, ...]
    ways: tuple[Item, ...]
    themes: tuple[Item, ...]
    sectors: tuple[Item, ...]
    places: tuple[Place, ...]
    vision: str = ""  # the strategy's vision, in its own words
    short_name: str = ""  # a shorter name where space is tight (defaults to the name)
    partnership: str = ""  # who shares the strategy, in words ("Derby, Derbyshire, Nottingham and Nottinghamshire")
    demo: dict = field(default_factory=dict, compare=False, repr=False)  # the [demo] table: how the demo is uneven
    source: str = ""  # the file it was read from
    everywhere: tuple[str, ...] = ()  # the strategy's own words for its whole area ("d2n2")
    example: str | None = None  # the place messages give as an example of how to write a place
    _lookup: dict = field(default_factory=dict, compare=False, repr=False)

    # --- lookups -------------------------------------------------------------------------------
    def items(self, kind: str) -> tuple[Item, ...]:
        """The items of one kind: 'aim', 'way', 'theme' or 'sector'."""
        return {"aim": self.aims, "way": self.ways, "theme": self.themes, "sector": self.sectors}[kind]

    def item(self, kind: str, code: str) -> Item:
        return next(i for i in self.items(kind) if i.code == code)

    def label(self, kind: str, code: str) -> str:
        """Short display label for a code of any kind, places included."""
        if kind == "place":
            return self.place(code).name
        return self.item(kind, code).short

    def wording(self, kind: str, code: str) -> str:
        """The strategy's full wording of a code (a place's name for places)."""
        if kind == "place":
            return self.place(code).name
        return self.item(kind, code).full

    def place(self, code: str) -> Place:
        return next(p for p in self.places if p.code == code)

    def spellings(self, kind: str) -> dict[str, str]:
        """Every accepted spelling (normalised) of a kind's items, places included, mapped to its code."""
        return dict(self._lookup[kind])

    def resolve(self, kind: str, text: str) -> str | None:
        """The code a partner's word stands for (code, number, label, description or synonym), or None."""
        return self._lookup[kind].get(normalise(text))

    # --- places --------------------------------------------------------------------------------
    def example_place(self) -> Place | None:
        """The place help texts give as an example ([strategy] example_place), or None."""
        return self.place(self.example) if self.example else None

    @property
    def everywhere_words(self) -> frozenset[str]:
        """Every word (normalised) that means every local area of the partnership."""
        return frozenset(normalise(w) for w in (*ALL_PLACES_WORDS, *self.everywhere))

    def local_places(self, on: date | None = None) -> tuple[Place, ...]:
        """The districts and unitary authorities activity is counted in on a day (default today): a place drops
        out after its valid_to, and a successor (a new area replacing others) appears from its valid_from.

        Other places' valid_from is the date of their ONS code, not the council's creation, so it does not hide
        them from earlier periods (activities go back to 1990)."""
        day = on or periods.today()
        successors = {p.successor for p in self.places if p.successor}
        return tuple(
            p
            for p in self.places
            if p.level in ("district", "unitary")
            and (p.valid_to is None or day <= p.valid_to)
            and not (p.code in successors and p.valid_from is not None and day < p.valid_from)
        )

    def counties(self) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.level == "county")

    def places_within(self, code: str, on: date | None = None) -> tuple[str, ...]:
        """The local areas a place stands for on a day (default today): itself, a county's districts, or every
        local area for 'ALL'."""
        if code == "ALL":
            return tuple(p.code for p in self.local_places(on))
        place = self.place(code)
        if place.level in ("district", "unitary"):
            return (place.code,)
        return tuple(p.code for p in self.local_places(on) if p.parent == place.code)

    # --- reorganisations -----------------------------------------------------------------------
    def area_on(self, code: str, day: date) -> str:
        """The area a place's activity counts in on a day: the place itself, or (after it was replaced) its
        successor, followed through later reorganisations."""
        place = self.place(code)
        while place.replaced_on is not None and place.replaced_on <= day:
            place = self.place(place.successor)
        return place.code

    def rolled_up(self, day: date) -> tuple[tuple[str, str], ...]:
        """(predecessor, area) for every local place replaced by ``day``: whose activity counts in which area."""
        return tuple(
            (p.code, self.area_on(p.code, day))
            for p in self.places
            if p.level in ("district", "unitary") and self.area_on(p.code, day) != p.code
        )

    def predecessors(self, code: str, day: date) -> tuple[str, ...]:
        """The replaced places whose activity counts in ``code`` on ``day`` (empty for an unreorganised place)."""
        return tuple(old for old, new in self.rolled_up(day) if new == code)

    def reorganisation_note(self, day: date) -> str | None:
        """The roll-up in force on a day in words, for captions and exports ('Mansfield and Ashfield (replaced
        on 1 April 2028) are counted in North Nottinghamshire.'), or None when no place has been replaced."""
        by_area: dict[str, list[Place]] = {}
        for old, new in self.rolled_up(day):
            by_area.setdefault(new, []).append(self.place(old))
        if not by_area:
            return None

        def names(places: list[Place]) -> str:
            words = [f"{p.name} (replaced on {p.replaced_on.day} {p.replaced_on:%B %Y})" for p in places]
            return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else words[0]

        return " ".join(
            f"{names(places)} {'are' if len(places) > 1 else 'is'} counted in {self.place(area).name}."
            for area, places in by_area.items()
        )

    def resolve_places(self, text: str) -> tuple[str, ...] | None:
        """The local areas a partner's place word stands for ('All', a county, a name or a code), or None."""
        key = normalise(text)
        if key in self.everywhere_words:
            return self.places_within("ALL")
        code = self._lookup["place"].get(key)
        if code is None or self.place(code).level == "country":
            return None
        return self.places_within(code)
