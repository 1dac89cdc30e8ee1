"""The strategy's framework (aims, ways of working, themes, sectors, places), read once from framework.toml and
checked; what a framework is and answers is in strategy/framework_model.py."""

from __future__ import annotations

import os
import tomllib
from datetime import date
from functools import lru_cache
from pathlib import Path

from strategy.framework_model import Framework, Item, Place, normalise

FRAMEWORK_FILE = Path(__file__).with_name("framework.toml")
FRAMEWORK_SETTING = "STRATEGY_FRAMEWORK"  # the path of another framework file: one install per strategy


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
