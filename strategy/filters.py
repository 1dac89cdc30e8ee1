"""The one filter object every view, export and command takes, and its round trip through a URL query string."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Any, Iterable, Mapping

from strategy import periods
from strategy.framework import Framework
from strategy.names import name_key

# URL key for each list field; dates use 'from' and 'to'.
URL_KEYS = {
    "places": "place",
    "sectors": "sector",
    "aims": "aim",
    "ways": "way",
    "themes": "theme",
    "partners": "partner",
}
KIND_OF = {"sectors": "sector", "aims": "aim", "ways": "way", "themes": "theme"}


@dataclass(frozen=True)
class Filters:
    """What a view is restricted to. Empty means 'all'. Places may be counties; they stand for their districts."""

    places: tuple[str, ...] = ()
    sectors: tuple[str, ...] = ()
    aims: tuple[str, ...] = ()
    ways: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None

    def as_of(self, today: date | None = None) -> date:
        """The day the view's places are taken on: the end of the period, else today. A place replaced by then
        counts in its successor (Framework.area_on); before it, places are as they were."""
        return self.date_to or today or periods.today()

    def local_places(self, framework: Framework) -> tuple[str, ...]:
        """The districts and unitary areas the place filter stands for on the view's day (empty for all): a
        county's districts then, and a replaced place's successor."""
        day = self.as_of()
        codes: list[str] = []
        for code in self.places:
            areas = (framework.area_on(c, day) for c in framework.places_within(code, day))
            codes += [c for c in areas if c not in codes]
        return tuple(codes)

    def counted_places(self, framework: Framework) -> tuple[str, ...]:
        """The place codes activities are matched on: local_places plus the places replaced by them by the
        view's day, whose activities (as stored, under the old codes) count in their successors."""
        day = self.as_of()
        codes = list(self.local_places(framework))
        for area in tuple(codes):
            codes += [c for c in framework.predecessors(area, day) if c not in codes]
        return tuple(codes)

    def sql_parameters(self, framework: Framework, today: date | None = None) -> dict[str, Any]:
        """The bound parameters of filtered_activities(); today (the day an activity with no end date runs to)
        defaults to periods.today(); place_successors: [replaced place, area it counts in] pairs for the view's
        day (the place dimension's roll-up, strategy/sql/place_successor_macros.sql)."""
        return {
            "places": list(self.counted_places(framework)),
            "sectors": list(self.sectors),
            "aims": list(self.aims),
            "ways": list(self.ways),
            "themes": list(self.themes),
            "partners": [name_key(p) for p in self.partners],  # matched by key: strategy/names.py
            "date_from": self.date_from,
            "date_to": self.date_to,
            "today": today or periods.today(),
            "place_successors": [list(pair) for pair in framework.rolled_up(self.as_of(today))],
        }

    def is_empty(self) -> bool:
        return self == Filters()

    def to_query(self) -> dict[str, list[str]]:
        """Query-string form: {'place': ['E07000174'], 'from': ['2024-01-01'], ...}; empty fields left out."""
        query = {URL_KEYS[f]: list(getattr(self, f)) for f in URL_KEYS if getattr(self, f)}
        if self.date_from:
            query["from"] = [self.date_from.isoformat()]
        if self.date_to:
            query["to"] = [self.date_to.isoformat()]
        return query

    def describe_period(self) -> str:
        """The period in words, dates as GOV.UK writes them: '1 January 2024 to 31 December 2024', 'all dates'."""
        day = periods.govuk_date
        if self.date_from and self.date_to:
            return f"{day(self.date_from)} to {day(self.date_to)}"
        if self.date_from:
            return f"{day(self.date_from)} onwards"
        return f"up to {day(self.date_to)}" if self.date_to else "all dates"

    def describe(self, framework: Framework) -> str:
        """The filters in plain English, for captions, exports and the board pack's title slide."""
        parts = []
        if self.places:
            parts.append("Places: " + ", ".join(framework.place(c).name for c in self.places))
        for name, kind in KIND_OF.items():
            codes = getattr(self, name)
            if codes:
                parts.append(f"{kind.capitalize()}s: " + ", ".join(framework.label(kind, c) for c in codes))
        if self.partners:
            parts.append("Partners: " + ", ".join(self.partners))
        if self.date_from or self.date_to:
            # An open end is open: planned days after today count too (docs/decisions.md, over time).
            parts.append(f"Period: {self.describe_period()}")
        text = "; ".join(parts) if parts else "All places, sectors, aims and partners; all dates"
        note = framework.reorganisation_note(self.as_of())
        return f"{text}. {note}" if note else text


def _valid_date(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


def filters_from_query(query: Mapping[str, Iterable[str] | str], framework: Framework) -> Filters:
    """Filters from a query string, dropping anything unknown (an old or hand-edited link still opens)."""

    def values(key: str) -> list[str]:
        raw = query.get(key, [])
        return [raw] if isinstance(raw, str) else list(raw)

    known_places = {p.code for p in framework.places if p.level != "country"}
    chosen: dict[str, Any] = {
        "places": tuple(dict.fromkeys(v for v in values("place") if v in known_places)),
        "partners": tuple(dict.fromkeys(values("partner"))),
    }
    for name, kind in KIND_OF.items():
        codes = {i.code for i in framework.items(kind)}
        chosen[name] = tuple(dict.fromkeys(v for v in values(URL_KEYS[name]) if v in codes))
    chosen["date_from"] = _valid_date(values("from")[0]) if values("from") else None
    chosen["date_to"] = _valid_date(values("to")[0]) if values("to") else None
    return Filters(**chosen)


def with_changes(filters: Filters, **changes: Any) -> Filters:
    """A copy with some fields changed (lists become tuples)."""
    cleaned = {k: tuple(v) if isinstance(v, list) else v for k, v in changes.items()}
    return replace(filters, **cleaned)
