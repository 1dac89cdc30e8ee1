"""What every learning record shares: the outcome of a save, checks on framework codes, and filter parameters."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

import duckdb

from strategy import db
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.names import name_key


@dataclass(frozen=True)
class SaveResult:
    """The outcome of a write: the record's id when saved, else every problem found (and nothing written)."""

    record_id: int | None = None
    problems: tuple[str, ...] = field(default_factory=tuple)

    @property
    def ok(self) -> bool:
        return not self.problems


def refused(problems: Iterable[str]) -> SaveResult:
    return SaveResult(None, tuple(problems))


def record_exists(con: duckdb.DuckDBPyConnection, kind: str, record_id: int) -> bool:
    """Whether the purpose, experiment or empathy map (kind) with this id is still there."""
    return bool(db.query(con, "learning_record_exists", record_kind=kind, record_id=record_id).found.iloc[0])


def clean_text(value: object) -> str:
    """Text with surrounding spaces removed ('' for None)."""
    return "" if value is None else str(value).strip()


def unknown_codes(framework: Framework, kind: str, codes: Iterable[str]) -> list[str]:
    """The codes that are not a known aim/way/sector (kind) of the framework."""
    known = {item.code for item in framework.items(kind)}
    return [code for code in codes if code not in known]


def local_place_codes(framework: Framework, codes: Iterable[str]) -> tuple[list[str], list[str]]:
    """(local area codes the chosen places stand for, codes not recognised): counties expand to their districts."""
    found: list[str] = []
    unknown: list[str] = []
    known = {p.code for p in framework.places if p.level != "country"}
    for code in codes:
        if code not in known:
            unknown.append(code)
            continue
        found += [c for c in framework.places_within(code) if c not in found]
    return found, unknown


def code_problems(
    framework: Framework,
    aims: Iterable[str] = (),
    ways: Iterable[str] = (),
    places: Iterable[str] = (),
    sectors: Iterable[str] = (),
) -> list[str]:
    """A sentence for every code that is not in the framework."""
    problems = []
    for kind, codes in (("aim", aims), ("way", ways), ("sector", sectors)):
        bad = unknown_codes(framework, kind, codes)
        if bad:
            problems.append(f"Unknown {kind} code(s) {', '.join(bad)}: choose from the framework's list.")
    bad_places = local_place_codes(framework, places)[1]
    if bad_places:
        problems.append(f"Unknown place code(s) {', '.join(bad_places)}: choose a district, city or county.")
    return problems


def filter_parameters(framework: Framework, filters: Filters) -> dict:
    """The bound parameters learning lists are narrowed by: local places, aims and partner names.

    A record that names no place (or no aim) is partnership-wide and shows under every place (or aim) filter.
    """
    return {
        "places": list(filters.counted_places(framework)),
        "aims": list(filters.aims),
        "partners": list(filters.partners),
        "partner_keys": [name_key(p) for p in filters.partners],
    }


def as_list(codes: object) -> list[str]:
    """A code list as read back from the database (a list, an array, or missing) as a plain list."""
    if codes is None or (isinstance(codes, float) and codes != codes):
        return []
    return [str(c) for c in codes]


def places_text(framework: Framework, codes: Iterable[str]) -> str:
    """Place codes as people say them: a county's name when all its districts are chosen, else area names."""
    codes = as_list(codes)
    if not codes:
        return "Partnership-wide"
    remaining = list(codes)
    names = []
    if set(remaining) >= set(framework.places_within("ALL")):
        return "All places"
    for county in framework.counties():
        districts = framework.places_within(county.code)
        if districts and set(districts) <= set(remaining):
            names.append(county.name)
            remaining = [c for c in remaining if c not in districts]
    known = {p.code: p.name for p in framework.places}
    return ", ".join(names + [known.get(c, c) for c in remaining])


def codes_text(framework: Framework, kind: str, codes: Iterable[str]) -> str:
    known = {i.code for i in framework.items(kind)}
    return ", ".join(framework.label(kind, c) for c in as_list(codes) if c in known)
