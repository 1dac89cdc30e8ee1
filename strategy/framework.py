"""The strategy's framework (aims, ways of working, themes, sectors, places), read once from framework.toml."""

from __future__ import annotations

import os
import re
import tomllib
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

from strategy import periods

FRAMEWORK_FILE = Path(__file__).with_name("framework.toml")
FRAMEWORK_SETTING = "STRATEGY_FRAMEWORK"  # the path of another framework file: one install per strategy

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


def _item(raw: dict) -> Item:
    return Item(
        code=raw["code"],
        label=raw["label"],
        description=raw["description"],
        colour=raw.get("colour", "#999999"),
        synonyms=tuple(raw.get("synonyms", ())),
    )


def _place(raw: dict) -> Place:
    def day(key):
        value = raw.get(key)
        return date.fromisoformat(str(value)) if value else None

    return Place(
        code=raw["code"],
        name=raw["name"],
        level=raw["level"],
        parent=raw.get("parent"),
        valid_from=day("valid_from"),
        valid_to=day("valid_to"),
        synonyms=tuple(raw.get("synonyms", ())),
        successor=raw.get("successor"),
        population=raw.get("population"),
    )


class FrameworkError(ValueError):
    """framework.toml says something that cannot be right, or cannot be read; the message says what to fix."""


def _check_successors(places: tuple[Place, ...]) -> None:
    """A place with a successor must be a local area with an end date, replaced by a known local area that starts
    the day after; no chain may loop. Raises FrameworkError saying what to fix in framework.toml."""
    by_code = {p.code: p for p in places}
    local = ("district", "unitary")
    for place in places:
        if place.population is not None and (not isinstance(place.population, int) or place.population <= 0):
            raise FrameworkError(
                f"framework.toml: {place.name} ({place.code}) has population {place.population!r}; "
                "write a whole number of people, or leave it out."
            )
        if place.successor is None:
            continue
        new = by_code.get(place.successor)
        where = f"framework.toml: {place.name} ({place.code}) names successor {place.successor!r}"
        if new is None:
            raise FrameworkError(
                f"{where}, which is not a place in the file. Add the new area as a [[places]] entry "
                "or correct the code."
            )
        if place.level not in local or new.level not in local:
            raise FrameworkError(
                f"{where}: only districts and unitary authorities can be replaced by a successor, "
                "and only by another district or unitary authority."
            )
        if place.valid_to is None:
            raise FrameworkError(
                f"{where} but no valid_to. Give it valid_to = the last day before {new.name} took over."
            )
        if new.valid_from != place.replaced_on:
            raise FrameworkError(
                f"{where}, which should start the day after {place.name} ends ({place.replaced_on}); "
                f"its valid_from is {new.valid_from}. Make {new.name}'s valid_from "
                f"{place.replaced_on} or correct {place.name}'s valid_to."
            )
        seen: set[str] = set()
        step: Place | None = place
        while step is not None:
            if step.code in seen:
                raise FrameworkError(
                    f"framework.toml: the successors of {place.name} ({place.code}) go round in "
                    "a circle. Each place may only be replaced by a newer one."
                )
            seen.add(step.code)
            step = by_code.get(step.successor) if step.successor else None


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


def framework_path() -> Path:
    """The framework file this install uses: STRATEGY_FRAMEWORK when set, else strategy/framework.toml."""
    setting = os.environ.get(FRAMEWORK_SETTING, "").strip()
    return Path(setting).expanduser() if setting else FRAMEWORK_FILE


def load_framework(path: Path | str | None = None) -> Framework:
    """The framework, read from its TOML file (default: framework_path()). A missing or unreadable file, or one
    without the tables every part of the product reads, raises FrameworkError saying what to fix."""
    file = Path(path).expanduser() if path is not None else framework_path()
    try:
        file = file.resolve(strict=True)
    except OSError:
        where = (
            f" (set by {FRAMEWORK_SETTING})" if path is None and os.environ.get(FRAMEWORK_SETTING, "").strip() else ""
        )
        raise FrameworkError(
            f"The framework file {file}{where} does not exist. Give the path of the strategy's "
            f"framework TOML file, or unset {FRAMEWORK_SETTING} to use {FRAMEWORK_FILE}."
        ) from None
    return _load_framework(file)


REQUIRED_TABLES = ("strategy", "aims", "ways", "themes", "sectors", "places")


@lru_cache(maxsize=8)
def _load_framework(path: Path) -> Framework:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise FrameworkError(f"The framework file {path} cannot be read ({error}); give a UTF-8 TOML file.") from None
    except tomllib.TOMLDecodeError as error:
        raise FrameworkError(f"The framework file {path} is not valid TOML: {error}. Correct that line.") from None
    missing = [table for table in REQUIRED_TABLES if not raw.get(table)]
    if missing:
        raise FrameworkError(
            f"The framework file {path} has no {', '.join(f'[{t}]' for t in missing)}; every "
            "framework needs [strategy] (name, benchmark) and at least one each of [[aims]], "
            "[[ways]], [[themes]], [[sectors]] and [[places]] (see strategy/framework.toml)."
        )
    head = raw["strategy"]
    for key in ("name", "benchmark"):
        if not str(head.get(key, "")).strip():
            raise FrameworkError(f'The framework file {path} has no {key} in [strategy]; add {key} = "...".')
    try:
        aims = tuple(_item(r) for r in raw["aims"])
        ways = tuple(_item(r) for r in raw["ways"])
        themes = tuple(_item(r) for r in raw["themes"])
        sectors = tuple(_item(r) for r in raw["sectors"])
        places = tuple(_place(r) for r in raw["places"])
    except KeyError as error:
        raise FrameworkError(
            f"The framework file {path}: an entry has no {error.args[0]}; every aim, way, theme and "
            "sector needs code, label and description, and every place code, name and level."
        ) from None
    for kind, items, letter in (("aims", aims, "A"), ("ways", ways, "W"), ("themes", themes, "T")):
        wrong = [
            i.code for i in items if not (i.code[:1] == letter and i.code[1:].isdigit() and 0 < int(i.code[1:]) < 64)
        ]
        if wrong:
            raise FrameworkError(
                f"The framework file {path}: {kind} codes must be {letter}1, {letter}2, ... "
                f"(up to {letter}63); {', '.join(wrong)} is not."
            )
    if head["benchmark"] not in {p.code for p in places}:
        raise FrameworkError(
            f"The framework file {path}: the benchmark {head['benchmark']!r} is not one of its "
            '[[places]]; add it (level = "country") or correct the code.'
        )
    if head.get("example_place") and head["example_place"] not in {p.code for p in places}:
        raise FrameworkError(
            f"The framework file {path}: example_place {head['example_place']!r} is not one of its "
            "[[places]]; give a place's code."
        )
    _check_successors(places)
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
    name = str(head["name"]).strip()
    return Framework(
        name=name,
        benchmark=head["benchmark"],
        aims=aims,
        ways=ways,
        themes=themes,
        sectors=sectors,
        places=places,
        vision=head.get("vision", ""),
        short_name=head.get("short_name") or name,
        partnership=head.get("partnership") or head.get("region", ""),
        demo=raw.get("demo", {}),
        source=str(path),
        everywhere=tuple(head.get("everywhere", ())),
        example=head.get("example_place"),
        _lookup=lookup,
    )
