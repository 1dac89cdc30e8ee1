"""The framework's accepted spellings as temporary DuckDB tables, so 1M rows are matched by one join, not a loop."""

from __future__ import annotations

import difflib

import duckdb
import pandas as pd

from strategy.framework import Framework, normalise

LIST_KINDS = {"aims": "aim", "ways_of_working": "way", "themes": "theme", "places": "place"}
STATUS_WORDS = {
    "planned": ["planned", "planning", "not started", "proposed", "future", "upcoming"],
    "active": ["active", "ongoing", "on going", "live", "running", "in progress", "current", "started"],
    "completed": ["completed", "complete", "finished", "done", "ended", "closed"],
    "paused": ["paused", "on hold", "suspended", "pause"],
}


def how_to_write(framework: Framework, kind: str) -> str:
    """How a kind is written, from the framework's own items, for messages that say how to fix an unknown value."""
    if kind in ("aim", "way"):
        items = framework.items(kind)
        first, last = items[0].code, items[-1].code
        count = len(items)
        example = items[1 if count > 1 else 0].label
        numbers = f"1-{count}, 'Aim 2'" if kind == "aim" else f"1-{count}"
        return (
            f"Use {first}-{last} (or {numbers}) or {'an aim' if kind == 'aim' else 'a way'}'s heading or wording "
            f"such as '{example}'."
        )
    if kind == "theme":
        themes = framework.themes
        words = [t.synonyms[0] if t.synonyms else t.label for t in themes]
        listed = ", ".join(words[:-1]) + " or " + words[-1] if len(words) > 1 else words[0]
        return f"Use {listed} (or {themes[0].code}-{themes[-1].code})."
    if kind == "place":
        local = framework.local_places()
        example = framework.example_place() or (local[0] if local else None)
        counties = framework.counties()
        return (
            (
                f"Use a district or city name (e.g. '{example.name}'), "
                + (f"a county ('{counties[0].name}'), " if counties else "")
                + f"an ONS code (e.g. {example.code}) or 'All'."
            )
            if example
            else "Use a place name or 'All'."
        )
    labels = [s.label for s in framework.sectors[:3]]
    return "Use one of the sectors by name, e.g. " + ", ".join(f"'{label}'" for label in labels) + "."


# The SQL twin of framework.normalise: lower case, '&' as 'and', punctuation runs folded to one space.
NORMALISE_SQL = "trim(regexp_replace(replace(lower({x}), '&', ' and '), '[\\s_\\-.,:;/()''’]+', ' ', 'g'))"


def code_spellings(framework: Framework) -> pd.DataFrame:
    """(kind, word, code): every normalised spelling of every aim, way, theme and sector, and the 'A1 Label' form."""
    rows = []
    for kind in ("aim", "way", "theme", "sector"):
        spellings = framework.spellings(kind)
        for item in framework.items(kind):
            spellings.setdefault(normalise(item.short), item.code)
        rows += [(kind, word, code) for word, code in spellings.items()]
    return pd.DataFrame(rows, columns=["kind", "word", "code"])


def place_spellings(framework: Framework) -> pd.DataFrame:
    """(word, code): each place spelling with every local area it stands for ('All' and counties expand)."""
    rows = []
    words = set(framework.spellings("place")) | framework.everywhere_words
    for word in words:
        for code in framework.resolve_places(word) or ():
            rows.append((normalise(word), code))
    return pd.DataFrame(rows, columns=["word", "code"]).drop_duplicates()


def replaced_place_spellings(framework: Framework) -> pd.DataFrame:
    """(word, date_from, date_to, message): each spelling of a place that was replaced (a `successor` in the
    framework), with the message for an activity starting from date_from (and before date_to, when the successor
    was itself replaced later), naming the area to write instead."""
    rows = []
    for word, code in framework.spellings("place").items():
        place = framework.place(code)
        step = place
        while step.replaced_on is not None:
            new = framework.place(step.successor)
            day = step.replaced_on
            rows.append(
                (
                    word,
                    day,
                    new.replaced_on,
                    f"{place.name} was replaced by {new.name} on {day.day} {day:%B %Y}: write {new.name} for "
                    "an activity starting on or after that day (activities that started earlier keep "
                    f"{place.name} and count in {new.name} from then).",
                )
            )
            step = new
    return pd.DataFrame(rows, columns=["word", "date_from", "date_to", "message"]).astype(
        {"date_from": "datetime64[s]", "date_to": "datetime64[s]"}
    )


def create_lookup_tables(cursor: duckdb.DuckDBPyConnection, framework: Framework) -> None:
    """Temporary tables code_lookup(kind, word, code), place_lookup(word, code), status_lookup(word, status) and
    replaced_place_lookup(word, date_from, date_to, message)."""
    status = pd.DataFrame(
        [(normalise(w), s) for s, words in STATUS_WORDS.items() for w in words], columns=["word", "status"]
    )
    for name, frame in (
        ("code_lookup", code_spellings(framework)),
        ("place_lookup", place_spellings(framework)),
        ("status_lookup", status),
        ("replaced_place_lookup", replaced_place_spellings(framework)),
    ):
        cursor.register("lookup_frame", frame)
        cursor.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM lookup_frame")  # fixed names
        cursor.unregister("lookup_frame")


def suggestion(framework: Framework, kind: str, text: str) -> str:
    """' Did you mean ...?' for a near miss, else ''."""
    if kind == "place":
        names = [p.name for p in framework.places if p.level != "country"] + ["All"]
    else:
        names = [i.label for i in framework.items(kind)] + [i.code for i in framework.items(kind)]
    by_key = {normalise(n): n for n in names}
    close = difflib.get_close_matches(normalise(text), list(by_key), n=1, cutoff=0.75)
    return f" Did you mean '{by_key[close[0]]}'?" if close else ""
