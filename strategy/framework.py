"""The strategy's framework (aims, ways of working, themes, sectors, places), read once from framework.toml."""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from datetime import date
from functools import lru_cache
from pathlib import Path

FRAMEWORK_FILE = Path(__file__).with_name("framework.toml")

# Words partners write for "everywhere in the partnership".
ALL_PLACES_WORDS = frozenset({"all", "all areas", "all places", "everywhere", "partnership wide", "partnership-wide",
                              "derbyshire and nottinghamshire", "d2n2"})


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

    def valid_on(self, day: date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (self.valid_to is None or day <= self.valid_to)


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
    def local_places(self, on: date | None = None) -> tuple[Place, ...]:
        """Districts and unitary authorities valid on a day: the areas activity is counted in."""
        day = on or date.today()
        return tuple(p for p in self.places if p.level in ("district", "unitary") and p.valid_on(day))

    def counties(self) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.level == "county")

    def places_within(self, code: str) -> tuple[str, ...]:
        """The local areas a place stands for: itself, a county's districts, or every local area for 'ALL'."""
        if code == "ALL":
            return tuple(p.code for p in self.local_places())
        place = self.place(code)
        if place.level in ("district", "unitary"):
            return (place.code,)
        return tuple(p.code for p in self.places if p.parent == place.code)

    def resolve_places(self, text: str) -> tuple[str, ...] | None:
        """The local areas a partner's place word stands for ('All', a county, a name or a code), or None."""
        key = normalise(text)
        if key in ALL_PLACES_WORDS:
            return self.places_within("ALL")
        code = self._lookup["place"].get(key)
        if code is None or self.place(code).level == "country":
            return None
        return self.places_within(code)


def _item(raw: dict) -> Item:
    return Item(code=raw["code"], label=raw["label"], description=raw["description"],
                colour=raw.get("colour", "#999999"), synonyms=tuple(raw.get("synonyms", ())))


def _place(raw: dict) -> Place:
    def day(key):
        value = raw.get(key)
        return date.fromisoformat(str(value)) if value else None

    return Place(code=raw["code"], name=raw["name"], level=raw["level"], parent=raw.get("parent"),
                 valid_from=day("valid_from"), valid_to=day("valid_to"), synonyms=tuple(raw.get("synonyms", ())))


def _lookup_for(items: tuple[Item, ...], prefix: str | None) -> dict[str, str]:
    """Every accepted spelling of each item, normalised, mapped to its code."""
    table: dict[str, str] = {}
    for item in items:
        words = [item.code, item.label, item.description, item.description.rstrip("."), *item.synonyms]
        if prefix:  # aims and ways also answer to '2', 'Aim 2', 'Way 2', 'W 2'
            number = item.code[1:]
            words += [number, f"{prefix} {number}", f"{item.code[0]} {number}"]
        for word in words:
            table.setdefault(normalise(word), item.code)
    return table


@lru_cache(maxsize=4)
def load_framework(path: Path = FRAMEWORK_FILE) -> Framework:
    """The framework, read from its TOML file."""
    raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    aims = tuple(_item(r) for r in raw["aims"])
    ways = tuple(_item(r) for r in raw["ways"])
    themes = tuple(_item(r) for r in raw["themes"])
    sectors = tuple(_item(r) for r in raw["sectors"])
    places = tuple(_place(r) for r in raw["places"])
    lookup = {
        "aim": _lookup_for(aims, "aim"),
        "way": _lookup_for(ways, "way"),
        "theme": _lookup_for(themes, None),
        "sector": _lookup_for(sectors, None),
        "place": {},
    }
    for place in places:
        for word in (place.code, place.name, *place.synonyms):
            lookup["place"].setdefault(normalise(word), place.code)
    return Framework(name=raw["strategy"]["name"], benchmark=raw["strategy"]["benchmark"], aims=aims, ways=ways,
                     themes=themes, sectors=sectors, places=places, vision=raw["strategy"].get("vision", ""),
                     _lookup=lookup)
