"""The activity file's columns (docs/upload.md): names, what each accepts, and the headers partners write for them.

The template, the header matching, the guide sheet and docs/upload.md all read this one table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Column:
    name: str
    required: bool
    accepts: str
    example: str
    aliases: tuple[str, ...] = ()


COLUMNS: tuple[Column, ...] = (
    Column(
        "activity_id",
        True,
        "Your own reference for the activity; unique among your activities. "
        "Upload the same id again to replace that activity.",
        "MM-2024-001",
        ("id", "activity id", "activity ref", "activity reference", "reference", "ref", "your reference"),
    ),
    Column(
        "title",
        True,
        "A short name for the activity.",
        "Walking for health, Shirebrook",
        ("activity", "activity title", "activity name", "name", "project", "project name"),
    ),
    Column(
        "description",
        False,
        "What happens, for whom.",
        "Weekly led walks for people with long-term conditions",
        ("details", "summary", "about"),
    ),
    Column(
        "sector",
        True,
        "Your sector: one of the strategy's sectors, by name.",
        "Integrated health and care",
        ("sector name", "partner sector", "organisation sector"),
    ),
    Column(
        "places",
        True,
        "Where it happens: district or city names, ONS codes, a county (all its districts) or "
        "All. Several separated by ; , or |.",
        "Bolsover; Chesterfield",
        ("place", "area", "areas", "location", "locations", "district", "districts", "where"),
    ),
    Column(
        "aims",
        True,
        "The aims it serves: A1-A5, 1-5, 'Aim 2' or the aim's name. Several separated by ; , or |. "
        "Instead, you may use tick-box columns headed Aim 1 ... Aim 5.",
        "A1; A4",
        ("aim", "strategy aims", "aims addressed"),
    ),
    Column(
        "ways_of_working",
        False,
        "W1-W6 or the way's name; several separated by ; , or |. Tick-box columns headed Way 1 ... Way 6 also work.",
        "W2; W6",
        ("ways", "way", "way of working", "ways of working"),
    ),
    Column(
        "themes",
        False,
        "Walking, climate, covid (names or codes T1-T3).",
        "walking",
        ("theme", "cross cutting themes", "crosscutting themes"),
    ),
    Column(
        "start_date",
        True,
        "When it starts: 25/04/2024 (day first), 2024-04-25 or 25 Apr 2024.",
        "01/04/2024",
        ("start", "start date", "from", "date started", "begins"),
    ),
    Column(
        "end_date",
        False,
        "When it ends (blank if ongoing); not before the start.",
        "31/03/2025",
        ("end", "end date", "to", "finish", "date ended", "ends"),
    ),
    Column("status", False, "planned, active, completed or paused.", "active", ("state", "progress")),
    Column(
        "participants",
        False,
        "Attendances: how many times people take part (one person at ten sessions "
        "counts ten), a whole number (1,200 is fine).",
        "120",
        ("people", "participant count", "number of participants", "reach"),
    ),
    Column(
        "investment_gbp",
        False,
        "Money invested, in pounds (£12,500.00 is fine).",
        "£12,500",
        ("investment", "investment gbp", "investment £", "funding", "budget", "cost", "amount"),
    ),
    Column(
        "target_groups",
        False,
        "Who it is for; several separated by ; , or |.",
        "older people; carers",
        ("target group", "target groups", "audience", "who for", "groups"),
    ),
)
COLUMN_NAMES = tuple(c.name for c in COLUMNS)


def guide_columns(framework) -> tuple[Column, ...]:
    """COLUMNS with the framework's own codes, counts and names in what the list columns accept and their examples
    (the guide sheet of the Excel template), so another strategy's partners read about their own aims and places."""
    aims, ways, themes = framework.aims, framework.ways, framework.themes
    local = framework.local_places()
    places = [p.name for p in local[:2]] if local else []
    theme_words = [t.synonyms[0] if t.synonyms else t.label for t in themes]
    own = {
        "sector": ("Your sector: one of the strategy's sectors, by name.", framework.sectors[0].label),
        "places": (
            "Where it happens: district or city names, ONS codes, a county (all its districts) or All. Several "
            "separated by ; , or |.",
            "; ".join(places),
        ),
        "aims": (
            f"The aims it serves: {aims[0].code}-{aims[-1].code}, 1-{len(aims)}, 'Aim 2' or the aim's name. "
            "Several separated by ; , or |. Instead, you may use tick-box columns headed Aim 1 ... "
            f"Aim {len(aims)}.",
            "; ".join(a.code for a in (aims[0], aims[-1])),
        ),
        "ways_of_working": (
            f"{ways[0].code}-{ways[-1].code} or the way's name; several separated by ; , or |. "
            f"Tick-box columns headed Way 1 ... Way {len(ways)} also work.",
            "; ".join(w.code for w in (ways[min(1, len(ways) - 1)], ways[-1])),
        ),
        "themes": (
            f"{', '.join(w.capitalize() if i == 0 else w for i, w in enumerate(theme_words))} (names or "
            f"codes {themes[0].code}-{themes[-1].code}).",
            theme_words[0],
        ),
    }
    return tuple(Column(c.name, c.required, *own[c.name], c.aliases) if c.name in own else c for c in COLUMNS)


REQUIRED = tuple(c.name for c in COLUMNS if c.required)
LIST_SEPARATORS = r"[;,|]"


def header_key(text: object) -> str:
    """A header as it is matched: lower case, without BOM, spaces, underscores, hyphens or other punctuation."""
    return re.sub(r"[^0-9a-z£]", "", str(text or "").replace("\ufeff", "").lower())


HEADER_NAMES: dict[str, str] = {}
for _column in COLUMNS:
    for _spelling in (_column.name, *_column.aliases):
        HEADER_NAMES.setdefault(header_key(_spelling), _column.name)

# Tick-box columns: 'Aim 1', 'A1', 'Aim 1 culture of movement', 'W2', 'Way of working 2', 'T1', 'Theme 1'.
TICK_BOX = (
    ("aims", "A", re.compile(r"^(?:aim|a)([1-9])(?:[a-z].*)?$")),
    ("ways_of_working", "W", re.compile(r"^(?:wayofworking|waysofworking|way|w)([1-9])(?:[a-z].*)?$")),
    ("themes", "T", re.compile(r"^(?:theme|t)([1-9])(?:[a-z].*)?$")),
)
TICKED = ("y", "yes", "x", "✓", "✔", "✅", "1", "true", "t", "ticked")
UNTICKED = ("n", "no", "0", "false", "f", "-")


def match_header(text: object) -> tuple[str, str | None] | None:
    """(column, None) for a named column, (list column, code) for a tick-box column, or None if unknown."""
    key = header_key(text)
    if key.replace("£", "") in HEADER_NAMES:
        return HEADER_NAMES[key.replace("£", "")], None
    for column, prefix, pattern in TICK_BOX:
        found = pattern.match(key)
        if found:
            return column, f"{prefix}{found.group(1)}"
    return None
